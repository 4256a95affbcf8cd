"""Automatic reminders and escalation of supervision items: who hears, on which working
day (holidays, 调休 and the office's overrides respected), and never twice."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from luoshi.core.audit import audit_record
from luoshi.core.models import CalendarDay, Delivery, Notification
from luoshi.supervision.choices import EventKind, ItemStatus, ReminderKind
from luoshi.supervision.models import (
    Escalation,
    Item,
    ItemEvent,
    ItemUnit,
    Reminder,
    SupervisionSettings,
)
from luoshi.supervision.services_jobs import reminders_run
from tests.helpers import count_queries
from tests.supervision.factories import ItemFactory

pytestmark = pytest.mark.django_db

D = dt.date


def run(clock, day: dt.date):
    clock(day)
    return reminders_run(today=day)


def heard(kind_prefix: str = "item_") -> set[str]:
    return set(
        Notification.objects.filter(kind__startswith=kind_prefix).values_list(
            "recipient__username", flat=True
        )
    )


@pytest.fixture
def item(people):
    """Accepted by 发改局 (unit_a), 交通局 (unit_b) cooperating, due Tuesday 31 March."""
    item = ItemFactory(
        lead_unit=people["unit_a"],
        status=ItemStatus.ACCEPTED,
        accepted_on=D(2026, 3, 3),
        deadline=D(2026, 3, 31),
        responsible_leader=people["leader_record"],
    )
    ItemUnit.objects.create(item=item, unit=people["unit_b"])
    return item


def test_the_lead_unit_hears_three_working_days_before_the_deadline(clock, item):
    assert run(clock, D(2026, 3, 25)).sent == 0  # four working days before
    result = run(clock, D(2026, 3, 26))  # Fri 27, Mon 30, Tue 31
    assert result.reminders == {ReminderKind.BEFORE: 1}
    assert heard() == {"rep_a", "head_a"}
    reminder = Reminder.objects.get()
    assert reminder.recipients == 2 and reminder.key == f"item:{item.pk}:before:2026-03-31"
    assert ItemEvent.objects.filter(item=item, kind=EventKind.REMINDED).count() == 1


def test_the_holiday_does_not_count_before_the_deadline(clock, people):
    # 9 October 2026 follows the National Day holiday (1–7 October): on 29 September it is
    # only three working days away (30 September, 8 and 9 October).
    ItemFactory(lead_unit=people["unit_a"], status=ItemStatus.IN_PROGRESS, deadline=D(2026, 10, 9))
    assert run(clock, D(2026, 9, 28)).sent == 0
    assert run(clock, D(2026, 9, 29)).reminders == {ReminderKind.BEFORE: 1}


def test_a_deadline_on_a_holiday_is_announced_on_the_last_working_day_before_it(clock, item):
    item.deadline = D(2026, 10, 3)
    item.save()
    assert run(clock, D(2026, 9, 30)).reminders == {ReminderKind.DUE: 1}
    # On the deadline the cooperating unit hears too.
    assert heard() == {"rep_a", "head_a", "rep_b"}


def test_nothing_is_sent_on_a_day_off(clock, item):
    result = run(clock, D(2026, 3, 28))  # a Saturday
    assert not result.working_day and result.sent == 0
    assert not Notification.objects.exists()


def test_an_overdue_item_is_reminded_again_every_three_days_and_never_twice(clock, item):
    assert run(clock, D(2026, 3, 31)).reminders == {ReminderKind.DUE: 1}
    assert run(clock, D(2026, 4, 1)).reminders == {ReminderKind.OVERDUE: 1}
    assert run(clock, D(2026, 4, 1)).sent == 0  # the same day again
    assert run(clock, D(2026, 4, 2)).sent == 0  # the same three-day round
    assert run(clock, D(2026, 4, 3)).reminders == {ReminderKind.OVERDUE: 1}
    assert Reminder.objects.filter(kind=ReminderKind.OVERDUE).count() == 2


def test_a_run_twice_sends_nothing_twice(clock, item, people):
    ItemFactory(
        lead_unit=people["unit_a"],
        status=ItemStatus.ISSUED,
        acceptance_due=D(2026, 3, 3),
        deadline=D(2026, 3, 27),
    )
    first = run(clock, D(2026, 3, 26))
    counts = (
        Notification.objects.count(),
        Delivery.objects.count(),
        Reminder.objects.count(),
        ItemEvent.objects.count(),
    )
    second = reminders_run(today=D(2026, 3, 26))
    assert first.sent == 3 and first.notifications == 6
    assert second.sent == 0 and second.notifications == 0
    after = (
        Notification.objects.count(),
        Delivery.objects.count(),
        Reminder.objects.count(),
        ItemEvent.objects.count(),
    )
    assert after == counts


def test_an_item_not_accepted_in_time_gets_an_acceptance_reminder(clock, people):
    ItemFactory(lead_unit=people["unit_a"], acceptance_due=D(2026, 3, 3), deadline=D(2026, 5, 29))
    assert run(clock, D(2026, 3, 3)).sent == 0  # still in time
    assert run(clock, D(2026, 3, 4)).reminders == {ReminderKind.ACCEPTANCE: 1}
    assert run(clock, D(2026, 3, 5)).sent == 0


@pytest.mark.parametrize("status", [ItemStatus.CLOSURE_REQUESTED, ItemStatus.CLOSED])
def test_an_item_waiting_for_the_office_or_closed_is_not_reminded(clock, item, status):
    item.status = status
    item.closure_requested_on = D(2026, 3, 20)
    item.save()
    assert run(clock, D(2026, 3, 26)).sent == 0
    assert run(clock, D(2026, 4, 1)).sent == 0


def test_five_working_days_overdue_goes_on_the_leaders_list(clock, item, people):
    # Deadline Tuesday 31 March; 4–6 April is the Qingming holiday. 7 April is the fourth
    # working day after the deadline, 8 April the fifth.
    run(clock, D(2026, 4, 7))
    assert not Escalation.objects.exists()
    result = run(clock, D(2026, 4, 8))
    assert result.escalated == [item.pk]
    escalation = Escalation.objects.get()
    assert escalation.leader == people["leader_record"] and escalation.days_overdue == 5
    item.refresh_from_db()
    assert item.escalated_on == D(2026, 4, 8)
    assert heard("item_escalation") == {"leader", "office"}
    assert ItemEvent.objects.filter(item=item, kind=EventKind.ESCALATED).count() == 1
    assert run(clock, D(2026, 4, 9)).escalated == []


def test_the_offices_settings_set_the_days(clock, item):
    SupervisionSettings.objects.create(
        pk=1, remind_before_working_days=1, escalate_after_days=2, overdue_remind_every_days=1
    )
    assert run(clock, D(2026, 3, 27)).sent == 0
    assert run(clock, D(2026, 3, 30)).reminders == {ReminderKind.BEFORE: 1}
    run(clock, D(2026, 4, 1))
    assert run(clock, D(2026, 4, 2)).escalated == [item.pk]  # two working days overdue


def test_a_local_holiday_entered_by_the_office_is_respected(clock, item):
    # The office declares Monday 30 March a local holiday: from Wednesday 25 March the
    # deadline is three working days away (26, 27 and 31 March), one day earlier than usual.
    CalendarDay.objects.create(date=D(2026, 3, 30), is_working_day=False, note="本地调整")
    assert run(clock, D(2026, 3, 25)).reminders == {ReminderKind.BEFORE: 1}


def test_the_job_queries_by_kind_not_by_item(clock, people):
    def make(n, offset):
        for i in range(n):
            ItemFactory(
                lead_unit=people["unit_a"],
                status=ItemStatus.IN_PROGRESS,
                deadline=D(2026, 3, 2) + dt.timedelta(days=offset + i % 20),
                issued_on=D(2026, 2, 2),
            )

    make(3, 0)
    clock(D(2026, 4, 8))
    audit_record(action="create", object_type="warm-up")  # the chain's first entry
    with count_queries() as few:
        reminders_run(today=D(2026, 4, 8))
    Item.objects.all().delete()
    make(60, 0)
    with count_queries() as many:
        reminders_run(today=D(2026, 4, 8))
    assert len(many) == len(few)


def _command(*args: str) -> str:
    out = StringIO()
    call_command("send_item_reminders", *args, stdout=out)
    return out.getvalue()


def test_the_command_runs_the_day_and_twice_sends_nothing(clock, item):
    clock(D(2026, 3, 26))
    assert "before 1" in _command("--today", "2026-03-26")
    assert "none" in _command("--today", "2026-03-26")
    assert "not a working day" in _command("--today", "2026-03-28")


def test_the_command_refuses_a_bad_day(db):
    with pytest.raises(CommandError):
        _command("--today", "2026-02-30")


def test_the_command_refuses_a_year_the_calendar_does_not_know(db):
    with pytest.raises(CommandError, match="2031"):
        _command("--today", "2031-03-03")
