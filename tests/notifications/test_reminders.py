"""Reporting reminders: who gets them (only the unit's reporters, then also its head),
when (N working days before the deadline, holidays not counted; after it), and never
twice."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from luoshi.core.clock import frozen
from luoshi.core.models import Delivery, Notification
from luoshi.orgs.choices import Role
from luoshi.projects.tasks import BEFORE_DEADLINE, MISSING, remind_reporting, reminders_due
from tests.helpers import count_queries
from tests.orgs.factories import UserFactory
from tests.projects.factories import MonthlyReportFactory, ProjectFactory, ReportingPeriodFactory

pytestmark = pytest.mark.django_db

# September 2026 is reported in October; National Day runs 1–7 October 2026, so the 9th
# (a Friday) is only two working days after 30 September (the 8th and the 9th).
DEADLINE = dt.date(2026, 10, 9)


@pytest.fixture
def period():
    return ReportingPeriodFactory(year=2026, month=9, deadline=DEADLINE)


@pytest.fixture
def setup(period, role_users, unit_a, unit_b):
    """unit_a misses one report; unit_b submitted all of its own."""
    ProjectFactory(responsible_unit=unit_a, year=2026)
    done_b = ProjectFactory(responsible_unit=unit_b, year=2026)
    MonthlyReportFactory(project=done_b, period=period, submitted_at=timezone.now())
    reporter_b = UserFactory(unit=unit_b, roles=[Role.UNIT_REPORTER])
    return {"reporter_b": reporter_b, **role_users}


def _recipients(kind_prefix="report_"):
    return set(
        Notification.objects.filter(kind__startswith=kind_prefix).values_list(
            "recipient__username", flat=True
        )
    )


def _run(today: str, *extra: str) -> str:
    out = StringIO()
    at = timezone.make_aware(dt.datetime.fromisoformat(today + "T09:00"))
    with frozen(at):
        call_command("send_reminders", "--today", today, *extra, stdout=out)
    return out.getvalue()


def test_before_the_deadline_only_reporters_of_units_missing_a_report_hear(setup, period):
    assert remind_reporting.call(period.pk, BEFORE_DEADLINE) == 1
    assert _recipients() == {setup[Role.UNIT_REPORTER].username}


def test_after_the_deadline_reporters_heads_and_the_office_hear(setup, period, english_ui):
    remind_reporting.call(period.pk, MISSING)
    units = {setup[Role.UNIT_REPORTER].username, setup[Role.UNIT_HEAD].username}
    assert _recipients("report_missing") == units | {setup[Role.SUPERVISION_OFFICER].username}
    summary = Notification.objects.get(kind="report_missing_summary")
    assert summary.recipient == setup[Role.SUPERVISION_OFFICER]
    assert "1 project(s) of 1 unit(s)" in summary.body


def test_a_reminder_job_run_twice_sends_nothing_twice(setup, period):
    first = remind_reporting.call(period.pk, MISSING)
    counts = Notification.objects.count(), Delivery.objects.count()
    assert remind_reporting.call(period.pk, MISSING) == 0
    assert first == 3
    assert (Notification.objects.count(), Delivery.objects.count()) == counts


def test_nobody_is_reminded_once_every_report_is_submitted(setup, period, unit_a):
    for project in ProjectFactory._meta.model.objects.filter(responsible_unit=unit_a):
        MonthlyReportFactory(project=project, period=period, submitted_at=timezone.now())
    assert remind_reporting.call(period.pk, MISSING) == 0
    assert not Notification.objects.exists()


def test_a_draft_never_submitted_still_counts_as_missing(setup, period, unit_a):
    project = ProjectFactory._meta.model.objects.get(responsible_unit=unit_a)
    MonthlyReportFactory(project=project, period=period, status="draft", submitted_at=None)
    assert remind_reporting.call(period.pk, BEFORE_DEADLINE) == 1


def test_a_locked_period_sends_no_reminders(setup, period):
    period.locked_at = timezone.now()
    period.save()
    assert reminders_due(period=period, today=dt.date(2026, 10, 12)) == []
    assert remind_reporting.call(period.pk, MISSING) == 0


def test_the_job_queries_by_unit_not_by_project(period, role_users, unit_a):
    ProjectFactory(responsible_unit=unit_a, year=2026)
    with count_queries() as few:
        remind_reporting.call(period.pk, BEFORE_DEADLINE)
    Notification.objects.all().delete()
    ProjectFactory.create_batch(15, responsible_unit=unit_a, year=2026)
    with count_queries() as many:
        remind_reporting.call(period.pk, BEFORE_DEADLINE)
    assert len(few) == len(many)


@pytest.mark.parametrize(
    ("today", "due"),
    [
        ("2026-09-29", []),  # three working days before: Sep 30, Oct 8, Oct 9
        ("2026-09-30", [BEFORE_DEADLINE]),  # 9 calendar days, but the holiday does not count
        ("2026-10-03", [BEFORE_DEADLINE]),  # in the holiday
        ("2026-10-08", [BEFORE_DEADLINE]),
        ("2026-10-09", []),  # deadline day: neither early nor missing yet
        ("2026-10-10", [MISSING]),
    ],
)
def test_reminders_fall_due_in_working_days_across_national_day(period, today, due):
    assert reminders_due(period=period, today=dt.date.fromisoformat(today)) == due


def test_the_office_can_set_how_many_working_days_before(period, settings):
    settings.LUOSHI_REMINDER_DAYS_BEFORE = 3
    assert reminders_due(period=period, today=dt.date(2026, 9, 29)) == [BEFORE_DEADLINE]


def test_the_command_sends_the_due_reminders_once(setup):
    out = _run("2026-10-01")  # in the holiday, two working days before the 9th
    assert "before_deadline" in out
    assert _recipients() == {setup[Role.UNIT_REPORTER].username}
    _run("2026-10-08")  # the next day of the window: no second reminder
    assert Notification.objects.count() == 1
    _run("2026-10-12")
    assert Notification.objects.filter(kind="report_missing").count() == 2
    assert Notification.objects.filter(kind="report_missing_summary").count() == 1
    _run("2026-10-13")
    assert Notification.objects.count() == 4


def test_the_command_says_when_nothing_is_due(setup):
    assert "no reminders due" in _run("2026-10-09")
    assert not Notification.objects.exists()


def test_the_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("send_reminders", "--today", "2026-13-01")


def test_a_unit_that_filed_everything_gets_nothing(setup, period, make_client):
    from django.urls import reverse

    remind_reporting.call(period.pk, MISSING)
    assert not Notification.objects.filter(recipient=setup["reporter_b"]).exists()
    page = make_client(setup["reporter_b"]).get(reverse("core:notification_list"))
    assert page.status_code == 200 and "report:" not in page.content.decode()
