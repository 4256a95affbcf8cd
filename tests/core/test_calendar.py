"""Working days: statutory holidays, adjusted working weekends, local overrides, unknown years."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from luoshi.core.calendar import (
    CalendarUnknownError,
    add_working_days,
    calendar_for,
    is_working_day,
)
from luoshi.core.models import CalendarDay

pytestmark = pytest.mark.django_db


def test_national_day_is_not_a_working_day_and_the_adjusted_weekend_is():
    assert not is_working_day(date(2026, 10, 1))
    # 2026's National Day arrangement made Saturday 10 October a working day (调休).
    assert date(2026, 10, 10).weekday() == 5
    assert is_working_day(date(2026, 10, 10))


def test_three_working_days_after_the_holiday_eve_skip_the_whole_holiday():
    # 30 September 2026 is a Wednesday; 1–7 October are holidays.
    assert add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)


def test_a_local_override_wins_over_the_library():
    CalendarDay.objects.create(date=date(2026, 11, 23), is_working_day=False, note="县庆")
    assert not is_working_day(date(2026, 11, 23))


def test_a_year_no_source_covers_is_refused_with_what_to_enter():
    with pytest.raises(CalendarUnknownError) as refused:
        is_working_day(date(2027, 3, 1))
    assert "2027" in str(refused.value)


def test_a_year_known_through_overrides_counts_weekdays_and_its_holidays():
    CalendarDay.objects.create(date=date(2027, 2, 8), is_working_day=False, note="春节")
    assert not is_working_day(date(2027, 2, 8))
    assert is_working_day(date(2027, 2, 9))
    assert not is_working_day(date(2027, 2, 13))  # a Saturday


@given(
    st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 10, 31)),
    st.integers(min_value=1, max_value=30),
)
def test_adding_working_days_lands_on_a_working_day_after_exactly_n_of_them(start, n):
    cal = calendar_for(start, date(2026, 12, 31))
    end = cal.add_working_days(start, n)
    assert end > start and cal.is_working_day(end)
    assert cal.working_days_between(start, end) == n
