"""Reads of one supervision item's page (督办事项详情): the item with everything shown on it
in a fixed number of queries, what the reader may do on it, and its attachments. Scoped
by ``scope.visible_items``: an item the reader may not see is ``None`` (the page is a 404).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from luoshi.core.permissions import Perm, has_perm
from luoshi.projects.report_content import local_today
from luoshi.supervision.choices import ItemLamp, ItemStatus, RequestStatus, status_label
from luoshi.supervision.models import (
    Attachment,
    ClosureRequest,
    Escalation,
    ExtensionRequest,
    Feedback,
    Item,
    ItemEvent,
    Reminder,
)
from luoshi.supervision.scope import visible_items
from luoshi.supervision.selectors import today_rules

HANDLING = (ItemStatus.ACCEPTED, ItemStatus.IN_PROGRESS, ItemStatus.RETURNED)
OPEN = (ItemStatus.ISSUED, *HANDLING, ItemStatus.CLOSURE_REQUESTED)
_FILES = Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "id"))


def item_get(*, user: Any, pk: int) -> Item | None:
    """The item if ``user`` may see it, with the objects its header names."""
    return (
        visible_items(user)
        .select_related(
            "lead_unit", "responsible_leader", "instruction_leader", "decision__meeting", "project"
        )
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class Capabilities:
    """The steps the reader may take now; the page shows exactly these buttons, and the
    services refuse the rest anyway."""

    accept: bool = False
    feedback: bool = False
    extension: bool = False
    closure: bool = False
    verify: bool = False
    return_closure: bool = False
    decide_extension: bool = False
    allow_late_extension: bool = False
    return_feedback: bool = False
    reopen: bool = False
    remind: bool = False

    @property
    def unit_any(self) -> bool:
        return self.accept or self.feedback or self.extension or self.closure

    @property
    def office_any(self) -> bool:
        return (
            self.verify
            or self.decide_extension
            or self.allow_late_extension
            or self.reopen
            or self.remind
        )


@dataclass
class ItemPage:
    """Everything the item page shows."""

    item: Item
    role: str  # 'lead', 'cooperating', 'office' or '' (a leader)
    status_label: str
    lamp: str
    lamp_label: str
    lamp_reason: str
    cooperating_units: list
    events: list
    feedbacks: list
    extensions: list
    closures: list
    reminders: list
    escalations: list
    can: Capabilities
    pending_extension: ExtensionRequest | None = None
    deadline_passed: bool = False

    @property
    def show_reason(self) -> bool:
        """A closed item's "Closed." repeats its status; a late closure is worth saying."""
        item = self.item
        late = item.done_on is not None and item.done_on > item.deadline
        return self.lamp != ItemLamp.DONE or late


def _capabilities(
    user: Any, item: Item, role: str, pending_extension: Any, deadline_passed: bool
) -> Capabilities:
    status = item.status
    handle = has_perm(user, Perm.HANDLE_ITEMS)
    manage = has_perm(user, Perm.MANAGE_ITEMS)
    lead = handle and role == "lead"
    return Capabilities(
        accept=lead and status == ItemStatus.ISSUED,
        feedback=(lead and status in HANDLING)
        or (handle and role == "cooperating" and status in OPEN),
        extension=lead
        and status in HANDLING
        and pending_extension is None
        and (not deadline_passed or item.late_extension_allowed),
        closure=lead and status in HANDLING,
        verify=manage and status == ItemStatus.CLOSURE_REQUESTED,
        return_closure=manage and status == ItemStatus.CLOSURE_REQUESTED,
        decide_extension=manage and pending_extension is not None and status in OPEN,
        allow_late_extension=manage
        and status in HANDLING
        and deadline_passed
        and not item.late_extension_allowed
        and pending_extension is None,
        return_feedback=manage and status != ItemStatus.CLOSED,
        reopen=manage and status == ItemStatus.CLOSED,
        remind=manage and status in OPEN,
    )


def item_page(*, user: Any, item: Item) -> ItemPage:
    """The page of ``item`` (already scoped by ``item_get``) for ``user``: a fixed number
    of queries whatever the number of events, feedbacks and files."""
    cooperating = list(item.cooperating_units.order_by("order", "code"))
    if has_perm(user, Perm.MANAGE_ITEMS):
        role = "office"
    elif user.unit_id and user.unit_id == item.lead_unit_id:
        role = "lead"
    elif user.unit_id and any(u.pk == user.unit_id for u in cooperating):
        role = "cooperating"
    else:
        role = ""
    extensions = list(
        ExtensionRequest.objects.filter(item=item).select_related("requested_by", "decided_by")
    )
    pending = next((e for e in extensions if e.status == RequestStatus.PENDING), None)
    today = local_today()
    deadline_passed = today > item.deadline
    rules = today_rules(today)
    lamp = rules.lamp(item)
    return ItemPage(
        item=item,
        role=role,
        status_label=status_label(item.status, for_unit=role in ("lead", "cooperating")),
        lamp=lamp,
        lamp_label=str(ItemLamp(lamp).label),
        lamp_reason=rules.reason(item),
        cooperating_units=cooperating,
        events=list(
            ItemEvent.objects.filter(item=item).select_related("actor", "unit").order_by("at", "id")
        ),
        feedbacks=list(
            Feedback.objects.filter(item=item)
            .select_related("unit", "author")
            .prefetch_related(_FILES)
        ),
        extensions=extensions,
        closures=list(
            ClosureRequest.objects.filter(item=item)
            .select_related("requested_by", "decided_by")
            .prefetch_related(_FILES)
        ),
        reminders=list(Reminder.objects.filter(item=item).select_related("sent_by")),
        escalations=list(Escalation.objects.filter(item=item).select_related("leader")),
        can=_capabilities(user, item, role, pending, deadline_passed),
        pending_extension=pending,
        deadline_passed=deadline_passed,
    )


def attachment_get(*, user: Any, pk: int) -> Attachment | None:
    """An attachment, only if its item is one ``user`` may see."""
    return (
        Attachment.objects.filter(item__in=visible_items(user).values("pk"), pk=pk)
        .select_related("item")
        .first()
    )


def feedback_get(*, item: Item, pk: int) -> Feedback | None:
    return Feedback.objects.filter(item=item, pk=pk).select_related("item").first()


def extension_get(*, item: Item, pk: int) -> ExtensionRequest | None:
    return ExtensionRequest.objects.filter(item=item, pk=pk).select_related("item").first()
