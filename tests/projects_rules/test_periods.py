"""Reporting periods: deadlines on the calendar, the open period, locking."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.core.calendar import CalendarUnknownError
from luoshi.core.choices import AuditAction
from luoshi.core.errors import DomainError, NotPermitted
from luoshi.core.models import AuditEntry, CalendarDay
from luoshi.orgs.choices import Role
from luoshi.projects.models import ReportingPeriod, YearSettings
from luoshi.projects.periods import (
    period_get_or_create,
    period_lock,
    period_open_for_reporting,
    period_unlock,
)
from tests.orgs.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(db):
    return UserFactory(username="office_p", roles=[Role.SUPERVISION_OFFICER])


def working_days_settings(year: int, day: int = 5) -> YearSettings:
    return YearSettings.objects.create(year=year, deadline_day=day, deadline_in_working_days=True)


def test_the_default_deadline_is_the_5th_of_the_next_month():
    period = period_get_or_create(year=2026, month=3)
    assert period.deadline == dt.date(2026, 4, 5)
    assert YearSettings.objects.filter(year=2026).exists()  # created with the defaults


def test_december_is_due_in_january_of_the_next_year():
    assert period_get_or_create(year=2026, month=12).deadline == dt.date(2027, 1, 5)


def test_a_calendar_day_deadline_is_kept_even_on_a_holiday():
    # 5 October 2026 falls in the National Day holiday; calendar days are taken literally.
    assert period_get_or_create(year=2026, month=9).deadline == dt.date(2026, 10, 5)


def test_the_5th_working_day_of_october_2026_skips_national_day_and_counts_the_adjusted_saturday():
    working_days_settings(2026)
    # 1–7 Oct are holidays; 8, 9, Sat 10 (调休), 12, 13 are working days.
    assert period_get_or_create(year=2026, month=9).deadline == dt.date(2026, 10, 13)


def test_the_12th_working_day_of_february_2026_jumps_the_spring_festival():
    working_days_settings(2026, day=12)
    # Working days: 2–6, 9–13, Sat 14 (调休) = 11; 15–23 Spring Festival; the 12th is the 24th.
    assert period_get_or_create(year=2026, month=1).deadline == dt.date(2026, 2, 24)


def test_a_year_no_calendar_knows_is_refused_and_nothing_is_created():
    working_days_settings(2027)
    with pytest.raises(CalendarUnknownError) as exc:
        period_get_or_create(year=2027, month=1)
    assert "2027" in str(exc.value.message)
    assert not ReportingPeriod.objects.filter(year=2027).exists()


def test_a_year_is_accepted_once_the_office_entered_its_arrangement():
    working_days_settings(2027)
    CalendarDay.objects.create(date=dt.date(2027, 2, 8), is_working_day=False, note="春节")
    period = period_get_or_create(year=2027, month=1)
    # February 2027: 1–5 are weekdays → the 5th working day is Friday the 5th.
    assert period.deadline == dt.date(2027, 2, 5)


def test_an_override_moves_the_deadline():
    working_days_settings(2027)
    CalendarDay.objects.create(date=dt.date(2027, 2, 3), is_working_day=False, note="local")
    assert period_get_or_create(year=2027, month=1).deadline == dt.date(2027, 2, 8)


def test_get_or_create_returns_the_existing_period_unchanged():
    first = period_get_or_create(year=2026, month=4)
    YearSettings.objects.filter(year=2026).update(deadline_day=20)
    again = period_get_or_create(year=2026, month=4)
    assert again.pk == first.pk and again.deadline == dt.date(2026, 5, 5)


def test_a_month_outside_1_to_12_is_refused():
    with pytest.raises(DomainError):
        period_get_or_create(year=2026, month=13)


def test_the_open_period_is_last_month():
    assert (period_open_for_reporting(today=dt.date(2026, 7, 3)).year, 6) == (2026, 6)
    january = period_open_for_reporting(today=dt.date(2026, 1, 20))
    assert (january.year, january.month) == (2025, 12)


def test_locking_records_who_and_is_audited(officer):
    period = period_get_or_create(year=2026, month=5)
    period_lock(actor=officer, period=period)
    period.refresh_from_db()
    assert period.is_locked and period.locked_by == officer
    entry = AuditEntry.objects.filter(object_type="projects.reportingperiod").first()
    assert entry.action == AuditAction.UPDATE and entry.actor == officer
    assert entry.before["locked_at"] is None and entry.after["locked_at"]


def test_locking_twice_is_refused(officer):
    period = period_get_or_create(year=2026, month=5)
    period_lock(actor=officer, period=period)
    with pytest.raises(DomainError):
        period_lock(actor=officer, period=period)


def test_only_the_office_may_lock(db):
    reporter = UserFactory(roles=[Role.UNIT_REPORTER])
    period = period_get_or_create(year=2026, month=5)
    with pytest.raises(NotPermitted):
        period_lock(actor=reporter, period=period)
    assert not ReportingPeriod.objects.get(pk=period.pk).is_locked


def test_unlocking_needs_a_reason_which_goes_into_the_trail(officer):
    period = period_lock(actor=officer, period=period_get_or_create(year=2026, month=5))
    with pytest.raises(DomainError) as exc:
        period_unlock(actor=officer, period=period, reason="   ")
    assert exc.value.field == "reason"
    assert ReportingPeriod.objects.get(pk=period.pk).is_locked
    period_unlock(actor=officer, period=period, reason="更正城关镇 5 月数据")
    assert not ReportingPeriod.objects.get(pk=period.pk).is_locked
    entry = AuditEntry.objects.filter(object_type="projects.reportingperiod").first()
    assert entry.after["unlock_reason"] == "更正城关镇 5 月数据"
    assert entry.after["locked_at"] is None


def test_unlocking_an_open_period_is_refused(officer):
    with pytest.raises(DomainError):
        period_unlock(actor=officer, period=period_get_or_create(year=2026, month=5), reason="x")
