"""Bodies of the supervision API (会议与督查督办). Names carry a ``Sup``/``Meeting``/``Item``
prefix: ninja names OpenAPI components by class name, and other apps already have a
``RefOut`` or a ``ReportOut``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema

from luoshi.core.api import MAX_ID, Id, PageParams
from luoshi.supervision.choices import (
    ItemLamp,
    ItemSource,
    ItemStatus,
    MeetingKind,
    Priority,
    RequestStatus,
)

Text = Annotated[str, Field(max_length=5000)]
LongText = Annotated[str, Field(max_length=50000)]
Line = Annotated[str, Field(max_length=200)]
# A date; whether the working-day calendar knows its year is the services' question.
Day = dt.date
# A multipart form field: an empty part reads as missing, so the schema says so.
FormText = Annotated[str, Field(min_length=1, max_length=5000)]


class SupUnitRef(Schema):
    id: int
    code: str
    name: str


class SupLeaderRef(Schema):
    id: int
    name: str
    title: str


# --------------------------------------------------------------------------- meetings


class DecisionOut(Schema):
    id: int
    meeting_id: int
    number: int
    content: str
    item_count: int = Field(0, description="Items issued from this decision.")

    @staticmethod
    def resolve_item_count(obj: Any) -> int:
        return getattr(obj, "item_count", 0) or 0


class MeetingOut(Schema):
    id: int
    kind: MeetingKind
    kind_label: str
    title: str
    held_on: dt.date
    place: str
    presider: SupLeaderRef | None
    attending_leaders: list[SupLeaderRef]
    attending_units: list[SupUnitRef]

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_attending_leaders(obj: Any) -> list[Any]:
        return list(obj.attending_leaders.all())

    @staticmethod
    def resolve_attending_units(obj: Any) -> list[Any]:
        return list(obj.attending_units.all())


class MeetingDetailOut(MeetingOut):
    agenda: str
    minutes: str
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_decisions(obj: Any) -> list[Any]:
        return list(obj.decisions.all())


class MeetingPage(Schema):
    items: list[MeetingOut]
    count: int
    page: int
    page_size: int


class MeetingFilters(PageParams):
    kind: MeetingKind | None = Field(None, description="Type of meeting.")
    year: int | None = Field(None, ge=2000, le=2100, description="Year the meeting was held.")


class MeetingIn(Schema):
    kind: MeetingKind
    title: Line
    held_on: Day
    place: Line = ""
    presider: Id | None = None
    attending_leaders: list[Id] = Field(default_factory=list, max_length=200)
    attending_units: list[Id] = Field(default_factory=list, max_length=500)
    agenda: Text = ""
    minutes: LongText = ""


class DecisionIn(Schema):
    content: Text


# --------------------------------------------------------------------------- items


class ItemOut(Schema):
    id: int
    code: str
    title: str
    source: ItemSource
    source_label: str
    source_ref: str
    status: ItemStatus
    status_label: str = Field(description="The state as the caller's role reads it.")
    lamp: ItemLamp
    lamp_reason: str
    priority: Priority
    lead_unit: SupUnitRef
    cooperating_units: list[SupUnitRef]
    responsible_leader: SupLeaderRef | None
    issued_on: dt.date
    acceptance_due: dt.date
    deadline: dt.date
    original_deadline: dt.date
    accepted_on: dt.date | None
    last_feedback_on: dt.date | None
    closure_requested_on: dt.date | None
    closed_on: dt.date | None
    reopen_count: int
    late_extension_allowed: bool
    version: int

    @staticmethod
    def resolve_source_label(obj: Any) -> str:
        return str(obj.get_source_display())

    @staticmethod
    def resolve_cooperating_units(obj: Any) -> list[Any]:
        return list(obj.cooperating_units.all())


class SupFeedbackOut(Schema):
    id: int
    unit: SupUnitRef
    text: str
    reported_on: dt.date
    returned: bool
    return_reason: str
    attachments: list[int] = Field(description="Ids of the attached files.")

    @staticmethod
    def resolve_returned(obj: Any) -> bool:
        return obj.returned_at is not None

    @staticmethod
    def resolve_attachments(obj: Any) -> list[int]:
        return [a.pk for a in obj.attachments.all()]


class ExtensionOut(Schema):
    id: int
    requested_deadline: dt.date
    previous_deadline: dt.date
    reason: str
    status: RequestStatus
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str


class ClosureOut(Schema):
    id: int
    summary: str
    status: RequestStatus
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str
    attachments: list[int]

    @staticmethod
    def resolve_attachments(obj: Any) -> list[int]:
        return [a.pk for a in obj.attachments.all()]


class SupAttachmentOut(Schema):
    id: int
    name: str
    kind: str
    size: int
    uploaded_at: dt.datetime


class ItemDetailOut(ItemOut):
    content: str
    decision_id: int | None
    instruction_leader: SupLeaderRef | None
    instruction_text: str
    project_id: int | None
    feedbacks: list[SupFeedbackOut]
    extensions: list[ExtensionOut]
    closures: list[ClosureOut]
    attachments: list[SupAttachmentOut]

    @staticmethod
    def resolve_feedbacks(obj: Any) -> list[Any]:
        return list(obj.feedbacks.all())

    @staticmethod
    def resolve_extensions(obj: Any) -> list[Any]:
        return list(obj.extensions.all())

    @staticmethod
    def resolve_closures(obj: Any) -> list[Any]:
        return list(obj.closures.all())

    @staticmethod
    def resolve_attachments(obj: Any) -> list[Any]:
        return list(obj.attachments.all())


class ItemPage(Schema):
    items: list[ItemOut]
    count: int
    page: int
    page_size: int


class ItemFilters(PageParams):
    status: ItemStatus | None = Field(None, description="State of the item.")
    lamp: ItemLamp | None = Field(None, description="Lamp of today.")
    source: ItemSource | None = Field(None, description="Where the item comes from.")
    unit: int | None = Field(
        None, ge=1, le=MAX_ID, description="Id of a unit: lead or cooperating unit."
    )
    leader: int | None = Field(None, ge=1, le=MAX_ID, description="Id of the responsible leader.")
    overdue: bool | None = Field(
        None, description="true: overdue today (handling or acceptance); false: not overdue."
    )


class ItemIssueIn(Schema):
    title: Line
    content: Text
    source: ItemSource
    decision: Id | None = Field(None, description="Meeting decision (source meeting).")
    instruction_leader: Id | None = None
    instruction_text: Text = ""
    source_ref: Annotated[str, Field(max_length=64)] = ""
    project: Id | None = Field(None, description="Key project (source project).")
    lead_unit: Id
    cooperating_units: list[Id] = Field(default_factory=list, max_length=200)
    responsible_leader: Id | None = None
    priority: Priority = Priority.NORMAL
    issued_on: Day | None = Field(None, description="Default: today.")
    deadline: Day | None = Field(None, description="A date, or give deadline_working_days.")
    deadline_working_days: int | None = Field(None, ge=1, le=500)


class ItemNoteIn(Schema):
    note: Text = ""


class ItemReasonIn(Schema):
    reason: Text


class ItemRemindIn(Schema):
    note: Text


class ExtensionIn(Schema):
    requested_deadline: Day
    reason: Text


class ExtensionDecideIn(Schema):
    approve: bool
    note: Text = ""


class ItemReopenIn(Schema):
    reason: Text
    deadline: Day | None = None


class ExtensionRequestOut(ExtensionOut):
    item_id: int


class ReminderOut(Schema):
    id: int
    item_id: int
    note: str
    sent_at: dt.datetime
    recipients: int
