"""Working days: China's statutory holidays and adjusted working weekends (调休) from the
chinese-calendar library, overridden by the local ``CalendarDay`` table.

A year that neither the library nor the override table covers is refused: a deadline
counted in working days must never be silently wrong.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
from django.utils.translation import gettext as _

from luoshi.core.errors import DomainError


class CalendarUnknownError(DomainError):
    """No source knows the working days of this year yet."""


def _library_years() -> range:
    years = sorted(
        {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}
    )
    return range(years[0], years[-1] + 1)


LIBRARY_YEARS = _library_years()


def _overrides(start: date, end: date) -> dict[date, bool]:
    from django.db import connection

    from luoshi.core.models import CalendarDay

    # Plain SQL: every supervision page reads the overrides of its span, and the ORM took
    # longer to build the query than to run it. SQLite answers dates as text, 0 and 1.
    ops = connection.ops
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {ops.quote_name('date')}, is_working_day FROM {CalendarDay._meta.db_table} "
            f"WHERE {ops.quote_name('date')} BETWEEN %s AND %s",
            [ops.adapt_datefield_value(start), ops.adapt_datefield_value(end)],
        )
        rows = cursor.fetchall()
    return {
        (d if isinstance(d, date) else date.fromisoformat(d)): bool(working) for d, working in rows
    }


def _covered_by_overrides(year: int) -> bool:
    """A year not in the library counts as known once the office has entered its
    arrangement: at least one override dated in that year."""
    from luoshi.core.models import CalendarDay

    return CalendarDay.objects.filter(date__year=year).exists()


class WorkingCalendar:
    """Answers working-day questions for a date range with one query for the overrides."""

    def __init__(self, start: date, end: date) -> None:
        self.start, self.end = start, end
        self.overrides = _overrides(start, end)
        self._known_years: dict[int, bool] = {}

    def _check_year(self, year: int) -> None:
        if year in LIBRARY_YEARS:
            return
        if year not in self._known_years:
            self._known_years[year] = _covered_by_overrides(year)
        if not self._known_years[year]:
            raise CalendarUnknownError(
                _(
                    "The working days of %(year)d are not known yet: the statutory holiday "
                    "library covers %(first)d–%(last)d. Enter %(year)d's holidays and adjusted "
                    "working days in the calendar overrides first."
                )
                % {"year": year, "first": LIBRARY_YEARS[0], "last": LIBRARY_YEARS[-1]}
            )

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        self._check_year(day.year)
        if day.year in LIBRARY_YEARS:
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5  # a year known only through overrides: weekdays otherwise

    def add_working_days(self, start: date, n: int) -> date:
        """The date ``n`` working days after ``start`` (``n`` ≥ 0; 0 gives the first working
        day on or after ``start``)."""
        day = start
        if n == 0:
            while not self.is_working_day(day):
                day += timedelta(days=1)
            return day
        remaining = n
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when end ≤ start)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def calendar_for(start: date, end: date | None = None) -> WorkingCalendar:
    """A calendar for dates from ``start`` to ``end`` (default: 120 days on)."""
    return WorkingCalendar(start, end or start + timedelta(days=120))


def add_working_days(start: date, n: int) -> date:
    return calendar_for(start, start + timedelta(days=n * 3 + 30)).add_working_days(start, n)


def is_working_day(day: date) -> bool:
    return calendar_for(day, day).is_working_day(day)
