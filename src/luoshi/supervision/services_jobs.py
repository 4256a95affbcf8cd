"""Automatic reminders (自动催办) and escalation (督办升级) of supervision items, set-based.

Rules, in the office's words (thresholds in ``SupervisionSettings``, working days from the
working calendar: statutory holidays, 调休 and the office's overrides):
- Before the deadline: once, on the first working day from which the deadline is at most
  N working days away (到期前提醒).
- On the deadline: on the last working day on or before it, so that a deadline falling on a
  holiday is announced before the holiday (到期提醒).
- After it: from the first working day the item is overdue, again every K days (逾期催办).
- Not accepted within the acceptance window: once (签收催办).
- Overdue for M working days: the item goes on its responsible leader's list (an
  ``Escalation`` row, ``escalated_on``), and the leader and the office are told.
Reminders reach the lead unit's reporters and heads (on and after the deadline also the
cooperating units'). Items waiting for the office's verification are not reminded: the unit
has done its part. Nothing is sent on a day off.

Idempotent: each reminder has a unique key (item, kind, deadline and, for repeated overdue
reminders, the K-day round), the notification centre's dedupe key is the same key, and
escalations are unique per item and deadline. A run twice sends nothing twice.

Set-based: candidates come from ``rules``' database filters in one query per kind; rows are
written with bulk inserts in batches (reminders, notifications, deliveries, history lines);
the run leaves one audit entry. Over 200,000 items it runs in seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from luoshi.core.audit import audit_record
from luoshi.core.bulk import insert_rows
from luoshi.core.calendar import WorkingCalendar
from luoshi.core.choices import AuditAction
from luoshi.core.clock import now
from luoshi.core.models import Delivery, Notification
from luoshi.core.notifications import send_all
from luoshi.orgs.choices import Role
from luoshi.orgs.models import User
from luoshi.supervision.choices import EventKind, ItemStatus, ReminderKind
from luoshi.supervision.models import (
    Escalation,
    Item,
    ItemEvent,
    ItemUnit,
    Reminder,
    SupervisionSettings,
)
from luoshi.supervision.rules import (
    Cutoffs,
    Thresholds,
    acceptance_overdue_q,
    calendar_span,
    cutoffs,
    escalation_q,
    overdue_q,
)

BATCH = 5000
REMIND_KIND = "item_reminder"  # notification kinds (the notification centre filters by prefix)
ESCALATE_KIND = "item_escalation"
# Waiting for the office (closure requested) or closed: nothing left for the unit to do.
REMINDABLE = (ItemStatus.ISSUED, ItemStatus.ACCEPTED, ItemStatus.IN_PROGRESS, ItemStatus.RETURNED)
AUTOMATIC = (ReminderKind.ACCEPTANCE, ReminderKind.BEFORE, ReminderKind.DUE, ReminderKind.OVERDUE)


@dataclass(frozen=True)
class Window:
    """What is due on ``today``: the lamp cutoffs plus the reminder dates."""

    today: dt.date
    working_day: bool
    cutoffs: Cutoffs
    next_working_day: dt.date  # deadlines before it (from today on) are due "today"
    before_until: dt.date  # deadlines before it are at most N working days away
    remind_every: int
    calendar: WorkingCalendar


def window(today: dt.date, settings: SupervisionSettings | None = None) -> Window:
    """The dates deciding the reminders of ``today`` (one calendar-override query)."""
    settings = settings or SupervisionSettings.current()
    thresholds = Thresholds.of(settings)
    before = settings.remind_before_working_days
    start, end = calendar_span(today, thresholds)
    calendar = WorkingCalendar(start, max(end, today + dt.timedelta(days=3 * before + 45)))
    return Window(
        today=today,
        working_day=calendar.is_working_day(today),
        cutoffs=cutoffs(today, thresholds, calendar),
        next_working_day=calendar.add_working_days(today, 1),
        before_until=calendar.add_working_days(today, before + 1),
        remind_every=settings.overdue_remind_every_days,
        calendar=calendar,
    )


def before_q(w: Window) -> Q:
    return Q(status__in=REMINDABLE, deadline__gte=w.next_working_day, deadline__lt=w.before_until)


def due_q(w: Window) -> Q:
    return Q(status__in=REMINDABLE, deadline__gte=w.today, deadline__lt=w.next_working_day)


def overdue_remind_q(w: Window) -> Q:
    return overdue_q(w.cutoffs) & Q(status__in=REMINDABLE)


def escalate_q(w: Window) -> Q:
    done = Escalation.objects.filter(item_id=OuterRef("pk"), deadline=OuterRef("deadline"))
    return escalation_q(w.cutoffs) & ~Exists(done)


def reminder_key(kind: str, item_id: int, day: dt.date, w: Window) -> str:
    """The reminder's unique key. Overdue reminders repeat every K days: the key names the
    K-day round since the deadline, so a round is sent once whatever the runs."""
    if kind == ReminderKind.OVERDUE:
        rounds = (w.today - day).days // w.remind_every if w.remind_every else 0
        return f"item:{item_id}:overdue:{day.isoformat()}:{rounds}"
    return f"item:{item_id}:{kind}:{day.isoformat()}"


@dataclass
class RunResult:
    """What one run did: reminders per kind, notifications created, items escalated."""

    today: dt.date
    working_day: bool = True
    reminders: dict[str, int] = field(default_factory=dict)
    notifications: int = 0
    escalated: list[int] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return sum(self.reminders.values()) + len(self.escalated)

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "working_day": self.working_day,
            "reminders": {str(k): n for k, n in self.reminders.items()},
            "notifications": self.notifications,
            "escalated": len(self.escalated),
        }


@dataclass(frozen=True)
class Message:
    item_id: int
    key: str
    recipients: tuple[int, ...]
    title: str
    body: str
    link: str


# --------------------------------------------------------------------------- recipients


def _users_by(column: str, values_q: Q) -> dict[int, list[int]]:
    by: dict[int, list[int]] = {}
    for pk, owner in (
        User.objects.filter(values_q, is_active=True)
        .values_list("pk", column)
        .distinct()
        .order_by("pk")
    ):
        if owner is not None:
            by.setdefault(owner, []).append(pk)
    return by


def _unit_users() -> dict[int, list[int]]:
    return _users_by("unit_id", Q(role_grants__role__in=[Role.UNIT_REPORTER, Role.UNIT_HEAD]))


def _leader_users() -> dict[int, list[int]]:
    return _users_by("leader_id", Q(leader__isnull=False))


def _office_users() -> list[int]:
    return list(
        User.objects.filter(is_active=True, role_grants__role=Role.SUPERVISION_OFFICER)
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )


def _cooperating(candidates: QuerySet[Item]) -> dict[int, list[int]]:
    by: dict[int, list[int]] = {}
    for item_id, unit_id in ItemUnit.objects.filter(item__in=candidates.values("pk")).values_list(
        "item_id", "unit_id"
    ):
        by.setdefault(item_id, []).append(unit_id)
    return by


# --------------------------------------------------------------------------- writing


def _chunks(rows: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _deliver(messages: list[Message], kind: str, at: dt.datetime) -> int:
    """The notification centre in bulk: one notification per (recipient, key) — the unique
    constraint drops any the recipient already has — and one delivery per configured
    channel, each handed to its ``Notifier``. Returns the notifications written now."""
    stamp = connection.ops.adapt_datetimefield_value(at)
    insert_rows(
        Notification,
        ["recipient", "kind", "title", "body", "link", "dedupe_key", "created_at"],
        [
            (user, kind, m.title[:200], m.body, m.link[:300], m.key, stamp)
            for m in messages
            for user in m.recipients
        ],
        ignore=True,
    )
    # Rows of this run only: a notification already delivered keeps its deliveries.
    fresh = list(
        Notification.objects.filter(created_at=at, kind=kind)
        .exclude(Exists(Delivery.objects.filter(notification_id=OuterRef("pk"))))
        .order_by("pk")
    )
    rows = [
        (
            d.notification_id,
            d.channel,
            d.status,
            stamp,
            connection.ops.adapt_datetimefield_value(d.delivered_at),
            None,
            d.error,
        )
        for d in send_all(fresh, at)
    ]
    insert_rows(
        Delivery,
        ["notification", "channel", "status", "sent_at", "delivered_at", "read_at", "error"],
        rows,
        ignore=True,
    )
    return len(fresh)


def _new_keys(keys: list[str]) -> set[str]:
    known: set[str] = set()
    for chunk in _chunks(keys):
        known.update(Reminder.objects.filter(key__in=chunk).values_list("key", flat=True))
    return set(keys) - known


def _link_of() -> Any:
    template = reverse("supervision:item_detail", args=[0])
    head, tail = template.rsplit("/0/", 1)
    return lambda pk: f"{head}/{pk}/{tail}"


def _texts(kind: str, code: str, title: str, day: dt.date, w: Window) -> tuple[str, str, str]:
    """(notification title, body, history note) of a reminder."""
    values = {"code": code, "title": title, "deadline": day.isoformat()}
    if kind == ReminderKind.ACCEPTANCE:
        values["due"] = values["deadline"]
        head = _("Item %(code)s is not accepted yet") % values
        body = _("%(title)s — it was to be accepted by %(due)s. Accept it now.") % values
    elif kind == ReminderKind.BEFORE:
        head = _("Item %(code)s is due on %(deadline)s") % values
        body = _("%(title)s — complete it or post the progress before %(deadline)s.") % values
    elif kind == ReminderKind.DUE:
        head = _("Item %(code)s is due now (%(deadline)s)") % values
        body = _("%(title)s — the deadline is %(deadline)s.") % values
    else:
        values["days"] = (w.today - day).days
        head = _("Item %(code)s is overdue") % values
        body = (
            _("%(title)s — the deadline %(deadline)s passed %(days)s days ago. Report now.")
            % values
        )
    return head, body, f"{ReminderKind(kind).label}: {head}"


def _plan_reminders(w: Window, unit_users: dict[int, list[int]]) -> list[tuple[str, Message, str]]:
    """(kind, message, history note) of every automatic reminder due today, new or not."""
    link = _link_of()
    plans: list[tuple[str, Message, str]] = []
    specs = [
        (ReminderKind.ACCEPTANCE, acceptance_overdue_q(w.cutoffs), "acceptance_due", False),
        (ReminderKind.BEFORE, before_q(w), "deadline", False),
        (ReminderKind.DUE, due_q(w), "deadline", True),
        (ReminderKind.OVERDUE, overdue_remind_q(w), "deadline", True),
    ]
    for kind, q, date_field, with_cooperating in specs:
        candidates = Item.objects.filter(q)
        rows = list(
            candidates.values_list("pk", "code", "title", "lead_unit_id", date_field).order_by("pk")
        )
        if not rows:
            continue
        cooperating = _cooperating(candidates) if with_cooperating else {}
        for pk, code, title, unit_id, day in rows:
            recipients = list(unit_users.get(unit_id, ()))
            for other in cooperating.get(pk, ()):
                recipients.extend(unit_users.get(other, ()))
            head, body, note = _texts(kind, code, title, day, w)
            message = Message(
                item_id=pk,
                key=reminder_key(kind, pk, day, w),
                recipients=tuple(sorted(set(recipients))),
                title=head,
                body=body,
                link=link(pk),
            )
            plans.append((kind, message, note))
    return plans


def _send_reminders(w: Window, at: dt.datetime, result: RunResult) -> None:
    unit_users = _unit_users()
    plans = _plan_reminders(w, unit_users)
    fresh = _new_keys([m.key for _, m, _ in plans])
    plans = [p for p in plans if p[1].key in fresh]
    stamp = connection.ops.adapt_datetimefield_value(at)
    insert_rows(
        Reminder,
        ["item", "kind", "key", "note", "sent_at", "recipients"],
        [(m.item_id, kind, m.key, m.body, stamp, len(m.recipients)) for kind, m, _ in plans],
        ignore=True,
    )
    insert_rows(
        ItemEvent,
        ["item", "kind", "at", "note"],
        [(m.item_id, EventKind.REMINDED, stamp, note) for _, m, note in plans],
    )
    for kind, _m, _n in plans:
        result.reminders[kind] = result.reminders.get(kind, 0) + 1
    result.notifications += _deliver([m for _, m, _ in plans], REMIND_KIND, at)


def _send_escalations(w: Window, at: dt.datetime, result: RunResult) -> None:
    rows = list(
        Item.objects.filter(escalate_q(w))
        .values_list(
            "pk", "code", "title", "deadline", "responsible_leader_id", "instruction_leader_id"
        )
        .order_by("pk")
    )
    if not rows:
        return
    # Working days overdue: one pass over the calendar from the oldest deadline.
    first = min(r[3] for r in rows)
    calendar = WorkingCalendar(first, w.today)
    ordinal: dict[dt.date, int] = {}
    count, day = 0, first
    while day <= w.today:
        if calendar.is_working_day(day):
            count += 1
        ordinal[day] = count
        day += dt.timedelta(days=1)
    leader_users = _leader_users()
    office = _office_users()
    link = _link_of()
    messages: list[Message] = []
    escalations: list[tuple] = []
    events: list[tuple] = []
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(at)
    for pk, code, title, deadline, leader_id, instructing_id in rows:
        leader = leader_id or instructing_id
        days = ordinal[w.today] - ordinal[deadline]
        values = {"code": code, "title": title, "days": days, "deadline": deadline.isoformat()}
        escalations.append((pk, leader, ops.adapt_datefield_value(deadline), days, stamp))
        note = (
            _(
                "Overdue %(days)s working days after the deadline %(deadline)s; on the leader's list."
            )
            % values
        )
        events.append((pk, EventKind.ESCALATED, stamp, note))
        messages.append(
            Message(
                item_id=pk,
                key=f"item:{pk}:escalated:{deadline.isoformat()}",
                recipients=tuple(sorted(set(leader_users.get(leader, [])) | set(office))),
                title=_("Item %(code)s escalated: %(days)s working days overdue") % values,
                body=_("%(title)s — the deadline was %(deadline)s.") % values,
                link=link(pk),
            )
        )
    insert_rows(
        Escalation,
        ["item", "leader", "deadline", "days_overdue", "escalated_at"],
        escalations,
        ignore=True,
    )
    ids = [r[0] for r in rows]
    for chunk in _chunks(ids):
        Item.objects.filter(pk__in=chunk).update(escalated_on=w.today, updated_at=at)
    insert_rows(ItemEvent, ["item", "kind", "at", "note"], events)
    result.escalated = ids
    result.notifications += _deliver(messages, ESCALATE_KIND, at)


def reminders_run(*, today: dt.date) -> RunResult:
    """Send the automatic reminders and escalations due on ``today``; all or nothing."""
    w = window(today)
    result = RunResult(today=today, working_day=w.working_day)
    if not w.working_day:
        return result
    at = now()
    with transaction.atomic():
        _send_reminders(w, at, result)
        _send_escalations(w, at, result)
        if result.sent:
            audit_record(
                action=AuditAction.CREATE,
                object_type="supervision.reminder_run",
                object_id=today.isoformat(),
                object_repr=f"send-item-reminders {today.isoformat()}",
                after={
                    "reminders": result.reminders,
                    "notifications": result.notifications,
                    "escalated": result.escalated,
                },
                username="send-item-reminders",
            )
    return result


# --------------------------------------------------------------------------- the settings

SETTINGS_LIMITS: dict[str, tuple[int, int]] = {
    "acceptance_working_days": (1, 20),
    "remind_before_working_days": (0, 30),
    "yellow_within_working_days": (0, 30),
    "feedback_stale_days": (1, 90),
    "escalate_after_days": (1, 60),
    "overdue_remind_every_days": (0, 30),
}


@transaction.atomic
def supervision_settings_save(*, actor: Any, data: dict[str, Any]) -> SupervisionSettings:
    """The office changes the reminder and escalation thresholds (audited). Lamps and the
    next run of the reminders use them at once; items already issued keep their dates."""
    from luoshi.core.audit import snapshot
    from luoshi.core.errors import DomainError
    from luoshi.core.permissions import Perm, require

    require(actor, Perm.MANAGE_ITEMS)
    values = {}
    for name, (low, high) in SETTINGS_LIMITS.items():
        value = data.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise DomainError(
                _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high},
                field=name,
            )
        values[name] = value
    fields = list(SETTINGS_LIMITS)
    obj = SupervisionSettings.objects.select_for_update().filter(pk=1).first()
    created = obj is None
    if obj is None:
        obj = SupervisionSettings(pk=1)
    before = None if created else snapshot(obj, fields)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    after = snapshot(obj, fields)
    if before != after:
        audit_record(
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            actor=actor,
            obj=obj,
            before=before,
            after=after,
        )
    return obj
