"""Overdue and the item lamp (督办事项红黄绿灯), derived, never typed.

Rules, in the office's words (thresholds in ``SupervisionSettings``):
- 办理逾期 (handling overdue): not closed, and a working day has passed since the deadline.
  A deadline before a holiday turns red on the first working day after it, not on the
  holiday. A closure requested on or before the deadline stops the clock while the office
  verifies it; a closed item stays overdue in the record when the closure it was closed on
  was requested after the deadline.
- 签收逾期 (acceptance overdue): not accepted within the acceptance window (default one
  working day after issue). Counted apart from handling overdue.
- Lamp: red while overdue (either kind); yellow when the deadline is within three working
  days (or has passed on a holiday), or no feedback for ten days while the unit handles it;
  green otherwise; closed items show no lamp (``done``).

Everything here works on plain values and a ``Cutoffs`` computed once per day, so that a
page can classify 10,000 items without a query each and a list can filter by lamp in the
database (``lamp_q``) with the same answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from luoshi.core.calendar import WorkingCalendar
from luoshi.supervision.choices import ItemLamp, ItemStatus

HANDLING = (ItemStatus.ACCEPTED, ItemStatus.IN_PROGRESS, ItemStatus.RETURNED)
OPEN = (ItemStatus.ISSUED, *HANDLING, ItemStatus.CLOSURE_REQUESTED)


@dataclass(frozen=True)
class Thresholds:
    yellow_within_working_days: int = 3
    feedback_stale_days: int = 10
    escalate_after_days: int = 5

    @classmethod
    def of(cls, settings: Any) -> Thresholds:
        return cls(
            settings.yellow_within_working_days,
            settings.feedback_stale_days,
            settings.escalate_after_days,
        )


@dataclass(frozen=True)
class Cutoffs:
    """The dates that decide every item's lamp on ``today``."""

    today: dt.date
    last_working_day: dt.date  # the latest working day on or before today
    yellow_until: dt.date  # deadlines up to this date are near
    stale_before: dt.date  # no feedback since before this date is stale
    escalate_before: dt.date  # deadlines before this date are overdue ≥ N working days
    # The first working day after today: a deadline passed on days off turns red then.
    next_working_day: dt.date | None = None


def cutoffs(today: dt.date, thresholds: Thresholds, calendar: WorkingCalendar) -> Cutoffs:
    last = today
    while not calendar.is_working_day(last):
        last -= dt.timedelta(days=1)
    # The N-th latest working day on or before today: a deadline before it has N working
    # days after it up to today.
    escalate = last
    for _n in range(max(thresholds.escalate_after_days, 1) - 1):
        escalate -= dt.timedelta(days=1)
        while not calendar.is_working_day(escalate):
            escalate -= dt.timedelta(days=1)
    return Cutoffs(
        today=today,
        last_working_day=last,
        yellow_until=calendar.add_working_days(today, thresholds.yellow_within_working_days),
        stale_before=today - dt.timedelta(days=thresholds.feedback_stale_days),
        escalate_before=escalate,
        next_working_day=calendar.add_working_days(today, 1),
    )


def calendar_span(today: dt.date, thresholds: Thresholds) -> tuple[dt.date, dt.date]:
    """The dates a calendar must know to compute ``cutoffs`` for ``today``."""
    back = 3 * max(thresholds.escalate_after_days, 1) + 40
    ahead = 3 * thresholds.yellow_within_working_days + 40
    return today - dt.timedelta(days=back), today + dt.timedelta(days=ahead)


@dataclass(frozen=True)
class ItemFacts:
    status: str
    issued_on: dt.date
    acceptance_due: dt.date
    deadline: dt.date
    accepted_on: dt.date | None = None
    last_feedback_on: dt.date | None = None
    closure_requested_on: dt.date | None = None
    done_on: dt.date | None = None

    @classmethod
    def of(cls, item: Any) -> ItemFacts:
        return cls(
            item.status,
            item.issued_on,
            item.acceptance_due,
            item.deadline,
            item.accepted_on,
            item.last_feedback_on,
            item.closure_requested_on,
            item.done_on,
        )


def handling_overdue(f: ItemFacts, c: Cutoffs) -> bool:
    if f.status == ItemStatus.CLOSED:
        return f.done_on is not None and f.done_on > f.deadline
    if f.status == ItemStatus.CLOSURE_REQUESTED and f.closure_requested_on is not None:
        if f.closure_requested_on <= f.deadline:
            return False
    return f.deadline < c.last_working_day


def acceptance_overdue(f: ItemFacts, c: Cutoffs) -> bool:
    if f.accepted_on is not None:
        return f.accepted_on > f.acceptance_due
    if f.status != ItemStatus.ISSUED:
        return False
    return f.acceptance_due < c.last_working_day


def escalation_due(f: ItemFacts, c: Cutoffs) -> bool:
    """Overdue for at least the set number of working days, and still open."""
    return (
        f.status != ItemStatus.CLOSED and handling_overdue(f, c) and f.deadline < c.escalate_before
    )


def _stale(f: ItemFacts, c: Cutoffs) -> bool:
    if f.status not in HANDLING:
        return False
    last = f.last_feedback_on or f.accepted_on or f.issued_on
    return last < c.stale_before


def item_lamp(f: ItemFacts, c: Cutoffs) -> str:
    if f.status == ItemStatus.CLOSED:
        return ItemLamp.DONE
    if handling_overdue(f, c) or (f.status == ItemStatus.ISSUED and acceptance_overdue(f, c)):
        return ItemLamp.RED
    near = f.deadline <= c.yellow_until and f.status != ItemStatus.CLOSURE_REQUESTED
    if near or _stale(f, c):
        return ItemLamp.YELLOW
    return ItemLamp.GREEN


def lamp_reason(f: ItemFacts, c: Cutoffs, calendar: WorkingCalendar | None = None) -> str:
    """Why the lamp is its colour, in one sentence with the dates."""
    lamp = item_lamp(f, c)
    deadline = f.deadline.isoformat()
    if lamp == ItemLamp.DONE:
        if f.done_on and f.done_on > f.deadline:
            return _("Closed; completed on %(done)s, after the deadline %(deadline)s.") % {
                "done": f.done_on.isoformat(),
                "deadline": deadline,
            }
        if f.done_on:
            # "Closed" is already the status and the lamp; say when it was done.
            return _("Completed on %(done)s, within the deadline %(deadline)s.") % {
                "done": f.done_on.isoformat(),
                "deadline": deadline,
            }
        return _("Closed.")
    if lamp == ItemLamp.RED:
        if handling_overdue(f, c):
            days = (c.today - f.deadline).days
            return _("Overdue: the deadline was %(deadline)s, %(days)s days ago.") % {
                "deadline": deadline,
                "days": days,
            }
        return _("Not accepted: it was to be accepted by %(due)s.") % {
            "due": f.acceptance_due.isoformat()
        }
    if lamp == ItemLamp.YELLOW:
        if f.deadline <= c.yellow_until and f.status != ItemStatus.CLOSURE_REQUESTED:
            if f.deadline < c.today and c.next_working_day is not None:
                # Passed on days off (a weekend or a holiday): not overdue yet, but the unit
                # should know the day it will be.
                return _(
                    "The deadline %(deadline)s passed during days off; it counts as overdue "
                    "from %(day)s, the first working day after."
                ) % {"deadline": deadline, "day": c.next_working_day.isoformat()}
            if f.deadline == c.today:
                return _("The deadline is today, %(deadline)s.") % {"deadline": deadline}
            return _("The deadline %(deadline)s is near.") % {"deadline": deadline}
        last = f.last_feedback_on or f.accepted_on or f.issued_on
        return _("No progress feedback since %(date)s (%(days)s days).") % {
            "date": last.isoformat(),
            "days": (c.today - last).days,
        }
    if f.status == ItemStatus.CLOSURE_REQUESTED:
        return _("Closure requested on %(date)s; awaiting verification.") % {
            "date": (f.closure_requested_on or c.today).isoformat()
        }
    return _("On time; deadline %(deadline)s.") % {"deadline": deadline}


# --------------------------------------------------------------------------- in the database

_LAST_ACTIVITY = Coalesce("last_feedback_on", "accepted_on", "issued_on")


def _handling_overdue_q(c: Cutoffs) -> Q:
    waiting_in_time = Q(
        status=ItemStatus.CLOSURE_REQUESTED, closure_requested_on__lte=F("deadline")
    )
    # ``~Q(status=CLOSED)`` says again what ``status__in=OPEN`` says, in the words of the
    # partial index of open items by deadline, so that both databases use it.
    return (
        ~Q(status=ItemStatus.CLOSED)
        & Q(status__in=OPEN, deadline__lt=c.last_working_day)
        & ~waiting_in_time
    )


def overdue_q(c: Cutoffs) -> Q:
    """Open items overdue today (handling)."""
    return _handling_overdue_q(c)


def acceptance_overdue_q(c: Cutoffs) -> Q:
    return Q(status=ItemStatus.ISSUED, acceptance_due__lt=c.last_working_day)


def escalation_q(c: Cutoffs) -> Q:
    return _handling_overdue_q(c) & Q(deadline__lt=c.escalate_before)


def annotate_activity(queryset: Any) -> Any:
    return queryset.annotate(last_activity_on=_LAST_ACTIVITY)


def lamp_q(lamp: str, c: Cutoffs) -> Q:
    """Items whose lamp is ``lamp`` on ``c.today``; the queryset must be passed through
    ``annotate_activity`` first. Agrees with ``item_lamp`` (tested)."""
    red = _handling_overdue_q(c) | acceptance_overdue_q(c)
    if lamp == ItemLamp.DONE:
        return Q(status=ItemStatus.CLOSED)
    if lamp == ItemLamp.RED:
        return red
    near = Q(deadline__lte=c.yellow_until) & ~Q(status=ItemStatus.CLOSURE_REQUESTED)
    stale = Q(status__in=HANDLING, last_activity_on__lt=c.stale_before)
    yellow = Q(status__in=OPEN) & ~red & (near | stale)
    if lamp == ItemLamp.YELLOW:
        return yellow
    return Q(status__in=OPEN) & ~red & ~(near | stale)
