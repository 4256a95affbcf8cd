"""Writes of meetings and supervision items (会议与督查督办). The item's state machine lives
here and nowhere else: each step checks the actor's capability and unit, checks the state
allows it, validates everything before writing, runs in one transaction, appends a line to
the item's history (``ItemEvent``), records an audit entry and notifies those concerned.
An illegal step is refused with a message naming the state and changes nothing.

States (DOMAIN.md): issued (已交办, the unit reads 待签收) → accepted (已签收) → in progress
(办理中, with feedback) → closure requested with evidence (申请办结) → closed (已办结/销号) or
returned (退回, back to the unit, who may feed back and request again). A closed item can be
reopened (重新督办) with a reason; its history stays and the reopening is counted.

Decisions, in the office's words:
- Overdue is never set: ``rules`` derives it. The clock stops while a closure requested on
  time is being verified; the completion date of a closed item is the date of the request
  the office verified.
- A unit asks for an extension before the deadline; after it only when the office has
  given leave for that item (``late_extension_allowed``), once.
- Closure needs evidence: a summary of what was done and at least one attachment.
- The same source reference (文号, 12345 ticket, proposal number) cannot be issued twice for
  one source: that is what makes importing the same list twice harmless.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from luoshi.core.audit import audit_record, snapshot
from luoshi.core.calendar import calendar_for
from luoshi.core.choices import AuditAction
from luoshi.core.clock import now
from luoshi.core.errors import DomainError, NotPermitted
from luoshi.core.notifications import notify
from luoshi.core.permissions import Perm, require
from luoshi.orgs.choices import Role
from luoshi.orgs.models import Leader, Unit, User
from luoshi.projects.report_content import local_today
from luoshi.supervision import attachments as files
from luoshi.supervision.choices import (
    EventKind,
    ItemSource,
    ItemStatus,
    Priority,
    ReminderKind,
    RequestStatus,
)
from luoshi.supervision.models import (
    Attachment,
    ClosureRequest,
    Decision,
    ExtensionRequest,
    Feedback,
    Item,
    ItemEvent,
    ItemUnit,
    Meeting,
    Reminder,
    SupervisionSettings,
)

MAX_TEXT = 5000
ITEM_FIELDS = [
    "title",
    "content",
    "source",
    "decision",
    "instruction_leader",
    "instruction_text",
    "source_ref",
    "project",
    "report",
    "lead_unit",
    "responsible_leader",
    "priority",
    "status",
    "issued_on",
    "acceptance_due",
    "deadline",
    "original_deadline",
    "deadline_working_days",
    "accepted_on",
    "last_feedback_on",
    "closure_requested_on",
    "done_on",
    "closed_on",
    "late_extension_allowed",
    "reopen_count",
    "escalated_on",
    "version",
]
HANDLING = (ItemStatus.ACCEPTED, ItemStatus.IN_PROGRESS, ItemStatus.RETURNED)
OPEN = (ItemStatus.ISSUED, *HANDLING, ItemStatus.CLOSURE_REQUESTED)

# step → the states it may start from. Whole sentences for the refusals, so each
# translates as a sentence.
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    "accept": (ItemStatus.ISSUED,),
    "feedback": HANDLING,
    "extension": HANDLING,
    "closure": HANDLING,
    "verify": (ItemStatus.CLOSURE_REQUESTED,),
    "return": (ItemStatus.CLOSURE_REQUESTED,),
    "reopen": (ItemStatus.CLOSED,),
    "remind": OPEN,
    "cooperate": OPEN,
    "decide_extension": OPEN,
    "allow_late_extension": OPEN,
}
_REFUSALS = {
    "accept": lambda: _("This item is %(status)s; it cannot be accepted."),
    "feedback": lambda: _("This item is %(status)s; progress feedback cannot be posted now."),
    "extension": lambda: _("This item is %(status)s; an extension cannot be requested now."),
    "closure": lambda: _("This item is %(status)s; closure cannot be requested now."),
    "verify": lambda: _("This item is %(status)s; there is no closure request to verify."),
    "return": lambda: _("This item is %(status)s; there is no closure request to return."),
    "reopen": lambda: _("This item is %(status)s; only a closed item can be reopened."),
    "remind": lambda: _("This item is %(status)s; a closed item needs no reminder."),
    "cooperate": lambda: _("This item is %(status)s; feedback cannot be posted now."),
    "decide_extension": lambda: _("This item is %(status)s; extensions are no longer decided."),
    "allow_late_extension": lambda: _("This item is %(status)s; it needs no extension."),
}


# --------------------------------------------------------------------------- helpers


def _text(
    value: Any, field: str, label: str, *, required: bool = True, limit: int = MAX_TEXT
) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise DomainError(_("Enter the %(label)s.") % {"label": label}, field=field)
    if len(text) > limit:
        raise DomainError(
            _("The %(label)s is too long: at most %(n)s characters.")
            % {"label": label, "n": limit},
            field=field,
        )
    return text


def _require_state(item: Item, step: str) -> None:
    if item.status not in ALLOWED_FROM[step]:
        raise DomainError(
            _REFUSALS[step]() % {"status": ItemStatus(item.status).label}, code="state"
        )


def _lock(item: Item) -> Item:
    return Item.objects.select_for_update().get(pk=item.pk)


def _require_lead(actor: Any, item: Item) -> None:
    require(actor, Perm.HANDLE_ITEMS)
    if not actor.unit_id or actor.unit_id != item.lead_unit_id:
        raise NotPermitted(_("Only the lead unit of this item may do this."))


def _event(item: Item, kind: str, actor: Any, note: str = "", unit_id: int | None = None) -> None:
    ItemEvent.objects.create(
        item=item,
        kind=kind,
        at=now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        unit_id=unit_id if unit_id is not None else getattr(actor, "unit_id", None),
        note=note,
    )


def _save(item: Item, actor: Any, before: dict, kind: str, note: str = "") -> Item:
    item.version += 1
    item.updated_at = now()
    item.save()
    after = snapshot(item, ITEM_FIELDS)
    changed = [k for k in after if before.get(k) != after.get(k)]
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=item,
        before={k: before.get(k) for k in changed},
        after={**{k: after[k] for k in changed}, "step": kind, **({"note": note} if note else {})},
    )
    _event(item, kind, actor, note)
    return item


def _settings() -> SupervisionSettings:
    return SupervisionSettings.current()


def item_link(item: Item) -> str:
    return reverse("supervision:item_detail", args=[item.pk])


def unit_users(unit_ids: Iterable[int]) -> list[int]:
    return list(
        User.objects.filter(
            unit_id__in=list(unit_ids),
            is_active=True,
            role_grants__role__in=[Role.UNIT_REPORTER, Role.UNIT_HEAD],
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def office_users() -> list[int]:
    return list(
        User.objects.filter(is_active=True, role_grants__role=Role.SUPERVISION_OFFICER)
        .values_list("pk", flat=True)
        .distinct()
    )


def _notify_units(
    item: Item, key: str, title: str, body: str = "", *, cooperating: bool = False
) -> int:
    unit_ids = [item.lead_unit_id]
    if cooperating:
        unit_ids += list(ItemUnit.objects.filter(item=item).values_list("unit_id", flat=True))
    return notify(
        recipients=unit_users(unit_ids),
        kind="item",
        title=title,
        body=body,
        link=item_link(item),
        dedupe_key=key,
    )


def _store_files(uploads: Iterable[tuple[str, bytes]]) -> list[files.CheckedFile]:
    checked = [files.check_file(name, data) for name, data in uploads]
    if len(checked) > files.MAX_FILES:
        raise DomainError(
            _("Attach at most %(n)s files at a time.") % {"n": files.MAX_FILES}, field="files"
        )
    return checked


def _attach(
    item: Item, actor: Any, checked: list[files.CheckedFile], stored: list[str], **owner: Any
) -> None:
    for f in checked:
        path = files.store(f)
        stored.append(path)
        Attachment.objects.create(
            item=item,
            name=f.name,
            kind=f.ext,
            size=f.size,
            sha256=f.sha256,
            path=path,
            uploaded_by=actor,
            **owner,
        )


def _with_files(run: Any) -> Any:
    """Run ``run(stored)`` in a transaction; files it stored are removed if it fails."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            return run(stored)
    except BaseException:
        files.discard(stored)
        raise


# --------------------------------------------------------------------------- meetings


def _leader(value: Any, field: str) -> Leader | None:
    if value in (None, ""):
        return None
    leader = value if isinstance(value, Leader) else Leader.objects.filter(pk=value).first()
    if leader is None or not leader.is_active:
        raise DomainError(_("Choose an active leader."), field=field)
    return leader


def _units(values: Iterable[Any], field: str) -> list[Unit]:
    ids = [getattr(v, "pk", v) for v in values or []]
    units = list(Unit.objects.filter(pk__in=ids))
    inactive = [u.name for u in units if not u.is_active]
    if len(units) != len(set(ids)):
        raise DomainError(_("A chosen unit does not exist."), field=field)
    if inactive:
        raise DomainError(
            _("%(units)s is no longer active; choose an active unit.")
            % {"units": "、".join(inactive)},
            field=field,
        )
    return units


MEETING_FIELDS = ["kind", "title", "held_on", "place", "presider", "agenda", "minutes"]


@transaction.atomic
def meeting_save(*, actor: Any, data: dict[str, Any], meeting: Meeting | None = None) -> Meeting:
    """Record a meeting or change it (the office)."""
    require(actor, Perm.MANAGE_ITEMS)
    from luoshi.supervision.choices import MeetingKind

    kind = data.get("kind")
    if kind not in MeetingKind.values:
        raise DomainError(_("Choose the meeting type."), field="kind")
    held_on = data.get("held_on")
    if not isinstance(held_on, dt.date):
        raise DomainError(_("Enter the meeting date."), field="held_on")
    values = {
        "kind": kind,
        "title": _text(data.get("title"), "title", _("title"), limit=200),
        "held_on": held_on,
        "place": _text(data.get("place"), "place", _("place"), required=False, limit=200),
        "presider": _leader(data.get("presider"), "presider"),
        "agenda": _text(data.get("agenda"), "agenda", _("agenda"), required=False),
        "minutes": _text(data.get("minutes"), "minutes", _("minutes"), required=False, limit=50000),
    }
    leaders = [_leader(v, "attending_leaders") for v in data.get("attending_leaders") or []]
    leaders = [x for x in leaders if x is not None]
    units = _units(data.get("attending_units") or [], "attending_units")
    before = snapshot(meeting, MEETING_FIELDS) if meeting else None
    if meeting is None:
        meeting = Meeting(created_by=actor if actor.is_authenticated else None)
    for name, value in values.items():
        setattr(meeting, name, value)
    meeting.updated_at = now()
    meeting.save()
    meeting.attending_leaders.set(leaders)
    meeting.attending_units.set(units)
    after = {
        **snapshot(meeting, MEETING_FIELDS),
        "attending_leaders": sorted(x.pk for x in leaders),
        "attending_units": sorted(u.pk for u in units),
    }
    audit_record(
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        actor=actor,
        obj=meeting,
        before=before,
        after=after,
    )
    return meeting


@transaction.atomic
def decision_save(
    *, actor: Any, meeting: Meeting, content: str, decision: Decision | None = None
) -> Decision:
    require(actor, Perm.MANAGE_ITEMS)
    text = _text(content, "content", _("decision"))
    if decision is None:
        last = meeting.decisions.order_by("-number").values_list("number", flat=True).first()
        decision = Decision(meeting=meeting, number=(last or 0) + 1)
        before = None
    else:
        before = {"content": decision.content}
    decision.content = text
    decision.save()
    audit_record(
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        actor=actor,
        obj=decision,
        before=before,
        after={"meeting": meeting.pk, "number": decision.number, "content": text},
    )
    return decision


@transaction.atomic
def decision_delete(*, actor: Any, decision: Decision) -> None:
    require(actor, Perm.MANAGE_ITEMS)
    if decision.items.exists():
        raise DomainError(
            _("Items were issued from this decision; it cannot be deleted."), code="in_use"
        )
    audit_record(
        action=AuditAction.DELETE,
        actor=actor,
        obj=decision,
        before={
            "meeting": decision.meeting_id,
            "number": decision.number,
            "content": decision.content,
        },
    )
    decision.delete()


# --------------------------------------------------------------------------- issuing


def deadline_from(
    *, issued_on: dt.date, deadline: dt.date | None, working_days: int | None
) -> dt.date:
    """The deadline given as a date or as N working days after the issue date."""
    if deadline is None and working_days in (None, ""):
        raise DomainError(
            _("Give the deadline as a date or as a number of working days."), field="deadline"
        )
    if deadline is not None and working_days not in (None, ""):
        raise DomainError(
            _("Give the deadline either as a date or as working days, not both."),
            field="deadline",
        )
    if deadline is None:
        try:
            n = int(working_days)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            n = 0
        if not 1 <= n <= 500:
            raise DomainError(
                _("Working days must be a whole number from 1 to 500."),
                field="deadline_working_days",
            )
        return calendar_for(issued_on, issued_on + dt.timedelta(days=n * 3 + 40)).add_working_days(
            issued_on, n
        )
    if deadline < issued_on:
        raise DomainError(
            _("The deadline %(deadline)s is before the issue date %(issued)s.")
            % {"deadline": deadline.isoformat(), "issued": issued_on.isoformat()},
            field="deadline",
        )
    # The lamp counts working days around the deadline: its year must be known.
    calendar_for(deadline, deadline).is_working_day(deadline)
    return deadline


def _code_prefix(year: int) -> str:
    return f"DB{year}-"


def item_code(year: int, n: int) -> str:
    """督办编号: DB2026-00042, the n-th item issued in the year."""
    return f"{_code_prefix(year)}{n:05d}"


def last_code_number(year: int) -> int:
    """How many item numbers of ``year`` are taken (the highest one)."""
    last = (
        Item.objects.filter(code__startswith=_code_prefix(year))
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    return int(last.rsplit("-", 1)[1]) if last else 0


def _next_code(year: int) -> str:
    return item_code(year, last_code_number(year) + 1)


def check_item(data: dict[str, Any]) -> dict[str, Any]:
    """Validate the fields of a new item; returns the model values (plus
    ``cooperating_units``). Shared by the form, the API and the Excel import."""
    source = data.get("source")
    if source not in ItemSource.values:
        raise DomainError(_("Choose where the item comes from."), field="source")
    priority = data.get("priority") or Priority.NORMAL
    if priority not in Priority.values:
        raise DomainError(_("Choose the priority."), field="priority")
    issued_on = data.get("issued_on") or local_today()
    lead = _units([data.get("lead_unit")] if data.get("lead_unit") else [], "lead_unit")
    if not lead:
        raise DomainError(_("Choose the lead unit."), field="lead_unit")
    cooperating = _units(data.get("cooperating_units") or [], "cooperating_units")
    cooperating = [u for u in cooperating if u.pk != lead[0].pk]
    decision = data.get("decision")
    if source == ItemSource.MEETING and decision is None:
        raise DomainError(_("Choose the meeting decision the item comes from."), field="decision")
    if source != ItemSource.MEETING:
        decision = None
    instruction_leader = _leader(data.get("instruction_leader"), "instruction_leader")
    instruction_text = _text(
        data.get("instruction_text"), "instruction_text", _("instruction"), required=False
    )
    if source == ItemSource.INSTRUCTION and not (instruction_leader and instruction_text):
        raise DomainError(
            _("A leader's instruction needs the leader and the instruction text."),
            field="instruction_text",
        )
    project = data.get("project")
    if source == ItemSource.PROJECT and project is None:
        raise DomainError(_("Choose the key project the problem belongs to."), field="project")
    deadline = deadline_from(
        issued_on=issued_on,
        deadline=data.get("deadline"),
        working_days=data.get("deadline_working_days"),
    )
    settings = _settings()
    acceptance_due = calendar_for(issued_on, issued_on + dt.timedelta(days=40)).add_working_days(
        issued_on, settings.acceptance_working_days
    )
    source_ref = _text(
        data.get("source_ref"), "source_ref", _("source reference"), required=False, limit=64
    )
    if source_ref:
        twin = (
            Item.objects.filter(source=source, source_ref=source_ref)
            .values_list("code", flat=True)
            .first()
        )
        if twin:
            raise DomainError(
                _("%(ref)s was already issued as item %(code)s.")
                % {"ref": source_ref, "code": twin},
                field="source_ref",
                code="duplicate",
            )
    return {
        "title": _text(data.get("title"), "title", _("title"), limit=200),
        "content": _text(data.get("content"), "content", _("content")),
        "source": source,
        "decision": decision,
        "instruction_leader": instruction_leader,
        "instruction_text": instruction_text,
        "source_ref": source_ref,
        "project": project,
        "report": data.get("report"),
        "lead_unit": lead[0],
        "responsible_leader": _leader(data.get("responsible_leader"), "responsible_leader"),
        "priority": priority,
        "issued_on": issued_on,
        "acceptance_due": min(acceptance_due, deadline),
        "deadline": deadline,
        "original_deadline": deadline,
        "deadline_working_days": (
            int(data["deadline_working_days"]) if data.get("deadline") is None else None
        ),
        "cooperating_units": cooperating,
    }


@transaction.atomic
def item_issue(*, actor: Any, data: dict[str, Any], notify_units: bool = True) -> Item:
    """Issue a supervision item (交办) to its lead unit and cooperating units."""
    require(actor, Perm.MANAGE_ITEMS)
    values = check_item(data)
    cooperating = values.pop("cooperating_units")
    item = None
    for _attempt in range(5):
        item = Item(
            code=_next_code(values["issued_on"].year),
            created_by=actor if actor.is_authenticated else None,
            **values,
        )
        try:
            with transaction.atomic():
                item.save()
            break
        except IntegrityError:
            if Item.objects.filter(code=item.code).exists():
                continue  # another office user took the number meanwhile
            raise
    assert item is not None and item.pk
    ItemUnit.objects.bulk_create([ItemUnit(item=item, unit=u) for u in cooperating])
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=item,
        after={
            **snapshot(item, ITEM_FIELDS),
            "cooperating_units": sorted(u.pk for u in cooperating),
        },
    )
    _event(item, EventKind.ISSUED, actor)
    if notify_units:
        _notify_units(
            item,
            f"item:{item.pk}:issued",
            _("New supervision item %(code)s: %(title)s")
            % {"code": item.code, "title": item.title},
            _("Deadline %(deadline)s. Accept it by %(due)s.")
            % {"deadline": item.deadline.isoformat(), "due": item.acceptance_due.isoformat()},
            cooperating=True,
        )
    return item


# --------------------------------------------------------------------------- the unit


@transaction.atomic
def item_accept(*, actor: Any, item: Item) -> Item:
    """签收: the lead unit takes the item on."""
    item = _lock(item)
    _require_lead(actor, item)
    _require_state(item, "accept")
    before = snapshot(item, ITEM_FIELDS)
    item.status = ItemStatus.ACCEPTED
    item.accepted_on = local_today()
    return _save(item, actor, before, EventKind.ACCEPTED)


def feedback_post(
    *, actor: Any, item: Item, text: str, uploads: Iterable[tuple[str, bytes]] = ()
) -> Feedback:
    """进展反馈 by the lead unit (moves the item to 办理中) or a cooperating unit (its part)."""
    require(actor, Perm.HANDLE_ITEMS)
    # "progress" alone is a project's 形象进度; here it is the item's 进展情况.
    body = _text(text, "text", pgettext("item feedback", "progress"))
    checked = _store_files(uploads)

    def run(stored: list[str]) -> Feedback:
        locked = _lock(item)
        lead = actor.unit_id and actor.unit_id == locked.lead_unit_id
        cooperating = (
            not lead
            and actor.unit_id
            and ItemUnit.objects.filter(item=locked, unit_id=actor.unit_id).exists()
        )
        if not (lead or cooperating):
            raise NotPermitted(_("Only the lead or a cooperating unit may post feedback."))
        if lead and locked.status == ItemStatus.ISSUED:
            raise DomainError(_("Accept the item before posting progress."), code="state")
        _require_state(locked, "feedback" if lead else "cooperate")
        today = local_today()
        feedback = Feedback.objects.create(
            item=locked, unit_id=actor.unit_id, text=body, reported_on=today, author=actor
        )
        _attach(locked, actor, checked, stored, feedback=feedback)
        if lead:
            before = snapshot(locked, ITEM_FIELDS)
            locked.status = ItemStatus.IN_PROGRESS
            locked.last_feedback_on = today
            _save(locked, actor, before, EventKind.FEEDBACK, body[:200])
        else:
            audit_record(
                action=AuditAction.CREATE,
                actor=actor,
                obj=feedback,
                after={
                    "item": locked.pk,
                    "unit": actor.unit_id,
                    "text": body,
                    "files": len(checked),
                },
            )
            _event(locked, EventKind.FEEDBACK, actor, body[:200])
        return feedback

    return _with_files(run)


@transaction.atomic
def extension_request(
    *, actor: Any, item: Item, requested_deadline: dt.date | None, reason: str
) -> ExtensionRequest:
    """延期申请 by the lead unit."""
    item = _lock(item)
    _require_lead(actor, item)
    _require_state(item, "extension")
    why = _text(reason, "reason", _("reason"))
    if not isinstance(requested_deadline, dt.date):
        raise DomainError(_("Enter the new deadline you ask for."), field="requested_deadline")
    if requested_deadline <= item.deadline:
        raise DomainError(
            _("The new deadline must be after the current deadline %(deadline)s.")
            % {"deadline": item.deadline.isoformat()},
            field="requested_deadline",
        )
    calendar_for(requested_deadline, requested_deadline).is_working_day(requested_deadline)
    if item.extensions.filter(status=RequestStatus.PENDING).exists():
        raise DomainError(
            _("An extension request of this item is already waiting for the office."),
            code="pending",
        )
    today = local_today()
    if today > item.deadline and not item.late_extension_allowed:
        raise DomainError(
            _(
                "The deadline %(deadline)s has passed; an extension can be requested now only "
                "with the supervision office's leave."
            )
            % {"deadline": item.deadline.isoformat()},
            field="requested_deadline",
            code="late",
        )
    request = ExtensionRequest.objects.create(
        item=item,
        requested_deadline=requested_deadline,
        previous_deadline=item.deadline,
        reason=why,
        requested_by=actor,
        requested_at=now(),
    )
    before = snapshot(item, ITEM_FIELDS)
    if today > item.deadline:
        item.late_extension_allowed = False  # the leave is used up
    _save(
        item,
        actor,
        before,
        EventKind.EXTENSION_REQUESTED,
        _("to %(date)s: %(reason)s") % {"date": requested_deadline.isoformat(), "reason": why},
    )
    notify(
        recipients=office_users(),
        kind="item",
        title=_("Extension requested for %(code)s") % {"code": item.code},
        body=why[:200],
        link=item_link(item),
        dedupe_key=f"item:{item.pk}:extension:{request.pk}",
    )
    return request


def closure_request(
    *, actor: Any, item: Item, summary: str, uploads: Iterable[tuple[str, bytes]] = ()
) -> ClosureRequest:
    """申请办结 with evidence: what was done, and at least one attachment."""
    _require_lead(actor, item)
    text = _text(summary, "summary", _("how it was done"))
    checked = _store_files(uploads)
    if not checked:
        raise DomainError(
            _("Attach the evidence (a document or a photo) before requesting closure."),
            field="files",
        )

    def run(stored: list[str]) -> ClosureRequest:
        locked = _lock(item)
        _require_state(locked, "closure")
        request = ClosureRequest.objects.create(
            item=locked, summary=text, requested_by=actor, requested_at=now()
        )
        _attach(locked, actor, checked, stored, closure=request)
        before = snapshot(locked, ITEM_FIELDS)
        locked.status = ItemStatus.CLOSURE_REQUESTED
        locked.closure_requested_on = local_today()
        _save(locked, actor, before, EventKind.CLOSURE_REQUESTED, text[:200])
        notify(
            recipients=office_users(),
            kind="item",
            title=_("Closure requested for %(code)s") % {"code": locked.code},
            body=locked.title,
            link=item_link(locked),
            dedupe_key=f"item:{locked.pk}:closure:{request.pk}",
        )
        return request

    return _with_files(run)


# --------------------------------------------------------------------------- the office


def _pending_closure(item: Item) -> ClosureRequest:
    request = item.closures.filter(status=RequestStatus.PENDING).first()
    if request is None:  # the state says requested; the request row must exist
        raise DomainError(_("There is no closure request to decide."), code="state")
    return request


@transaction.atomic
def closure_verify(*, actor: Any, item: Item, note: str = "") -> Item:
    """核验销号: the office finds the closure true and closes the item."""
    require(actor, Perm.MANAGE_ITEMS)
    item = _lock(item)
    _require_state(item, "verify")
    request = _pending_closure(item)
    text = _text(note, "note", _("note"), required=False)
    request.status, request.decided_by, request.decided_at = RequestStatus.APPROVED, actor, now()
    request.decision_note = text
    request.save()
    before = snapshot(item, ITEM_FIELDS)
    item.status = ItemStatus.CLOSED
    item.done_on = item.closure_requested_on
    item.closed_on = local_today()
    _save(item, actor, before, EventKind.CLOSED, text)
    _notify_units(
        item,
        f"item:{item.pk}:closed:{request.pk}",
        _("Item %(code)s verified and closed") % {"code": item.code},
        item.title,
    )
    return item


@transaction.atomic
def closure_return(*, actor: Any, item: Item, reason: str) -> Item:
    """退回: the closure is not accepted; the unit goes on and requests again."""
    require(actor, Perm.MANAGE_ITEMS)
    item = _lock(item)
    _require_state(item, "return")
    why = _text(reason, "reason", _("reason for returning"))
    request = _pending_closure(item)
    request.status, request.decided_by, request.decided_at = RequestStatus.REFUSED, actor, now()
    request.decision_note = why
    request.save()
    before = snapshot(item, ITEM_FIELDS)
    item.status = ItemStatus.RETURNED
    item.closure_requested_on = None
    _save(item, actor, before, EventKind.CLOSURE_RETURNED, why)
    _notify_units(
        item,
        f"item:{item.pk}:returned:{request.pk}",
        _("Closure of %(code)s returned") % {"code": item.code},
        why[:200],
    )
    return item


@transaction.atomic
def item_reopen(*, actor: Any, item: Item, reason: str, deadline: dt.date | None = None) -> Item:
    """重新督办: a closure proved false. The history stays; the reopening counts."""
    require(actor, Perm.MANAGE_ITEMS)
    item = _lock(item)
    _require_state(item, "reopen")
    why = _text(reason, "reason", _("reason for reopening"))
    today = local_today()
    if deadline is not None:
        if deadline < today:
            raise DomainError(_("The new deadline cannot be before today."), field="deadline")
        calendar_for(deadline, deadline).is_working_day(deadline)
    before = snapshot(item, ITEM_FIELDS)
    item.status = ItemStatus.IN_PROGRESS
    item.reopen_count += 1
    item.done_on = item.closed_on = item.closure_requested_on = None
    item.escalated_on = None
    if deadline is not None:
        item.deadline = deadline
    _save(item, actor, before, EventKind.REOPENED, why)
    _notify_units(
        item,
        f"item:{item.pk}:reopened:{item.reopen_count}",
        _("Item %(code)s reopened") % {"code": item.code},
        why[:200],
    )
    return item


@transaction.atomic
def feedback_return(*, actor: Any, feedback: Feedback, reason: str) -> Feedback:
    """反馈退回: the feedback is not good enough and no longer counts as feedback."""
    require(actor, Perm.MANAGE_ITEMS)
    why = _text(reason, "reason", _("reason for sending back"))
    item = _lock(feedback.item)
    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    if feedback.returned_at is not None:
        raise DomainError(_("This feedback was already sent back."), code="state")
    if item.status == ItemStatus.CLOSED:
        raise DomainError(_REFUSALS["cooperate"]() % {"status": ItemStatus(item.status).label})
    feedback.returned_at, feedback.return_reason = now(), why
    feedback.save()
    before = snapshot(item, ITEM_FIELDS)
    item.last_feedback_on = (
        Feedback.objects.filter(item=item, unit_id=item.lead_unit_id, returned_at__isnull=True)
        .order_by("-reported_on")
        .values_list("reported_on", flat=True)
        .first()
    )
    _save(item, actor, before, EventKind.FEEDBACK_RETURNED, why)
    notify(
        recipients=unit_users([feedback.unit_id]),
        kind="item",
        title=_("Feedback on %(code)s sent back") % {"code": item.code},
        body=why[:200],
        link=item_link(item),
        dedupe_key=f"item:{item.pk}:feedback-returned:{feedback.pk}",
    )
    return feedback


@transaction.atomic
def extension_decide(
    *, actor: Any, request: ExtensionRequest, approve: bool, note: str = ""
) -> ExtensionRequest:
    require(actor, Perm.MANAGE_ITEMS)
    item = _lock(request.item)
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.PENDING:
        raise DomainError(_("This extension request was already decided."), code="state")
    _require_state(item, "decide_extension")
    text = _text(note, "note", _("note"), required=not approve)
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
    request.decided_by, request.decided_at, request.decision_note = actor, now(), text
    request.save()
    before = snapshot(item, ITEM_FIELDS)
    if approve:
        item.deadline = request.requested_deadline
        item.escalated_on = None
    kind = EventKind.EXTENSION_APPROVED if approve else EventKind.EXTENSION_REFUSED
    _save(item, actor, before, kind, text)
    title = (
        _("Extension of %(code)s approved: new deadline %(date)s")
        if approve
        else _("Extension of %(code)s refused")
    ) % {"code": item.code, "date": request.requested_deadline.isoformat()}
    _notify_units(item, f"item:{item.pk}:extension-decided:{request.pk}", title, text[:200])
    return request


@transaction.atomic
def late_extension_allow(*, actor: Any, item: Item, note: str = "") -> Item:
    """The office's leave to ask for an extension after the deadline (once)."""
    require(actor, Perm.MANAGE_ITEMS)
    item = _lock(item)
    _require_state(item, "allow_late_extension")
    before = snapshot(item, ITEM_FIELDS)
    item.late_extension_allowed = True
    return _save(
        item,
        actor,
        before,
        EventKind.LATE_EXTENSION_ALLOWED,
        _text(note, "note", _("note"), required=False),
    )


@transaction.atomic
def item_remind(*, actor: Any, item: Item, note: str) -> Reminder:
    """催办 by hand, with a note; delivered to the lead unit (and cooperating units)."""
    require(actor, Perm.MANAGE_ITEMS)
    item = _lock(item)
    _require_state(item, "remind")
    text = _text(note, "note", _("note"))
    reminder = Reminder.objects.create(
        item=item,
        kind=ReminderKind.MANUAL,
        key=f"manual:{item.pk}:{now().timestamp()}",
        note=text,
        sent_by=actor,
    )
    reminder.key = f"item:{item.pk}:manual:{reminder.pk}"
    reminder.recipients = _notify_units(
        item,
        reminder.key,
        _("Reminder: %(code)s %(title)s") % {"code": item.code, "title": item.title},
        text,
        cooperating=True,
    )
    reminder.save(update_fields=["key", "recipients"])
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=reminder,
        after={
            "item": item.pk,
            "kind": reminder.kind,
            "note": text,
            "recipients": reminder.recipients,
        },
    )
    _event(item, EventKind.REMINDED, actor, text)
    return reminder
