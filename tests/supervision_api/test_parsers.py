"""The deadline cell parsers of the item list import, over generated dates and numbers."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from luoshi.supervision.excel_import import parse_date, parse_working_days

DATES = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))


@given(DATES)
def test_every_way_of_writing_a_date_reads_as_that_date(day):
    for text in (
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day.year}．{day.month:02d}．{day.day:02d}",  # full-width dots
        f" {day.year}年{day.month}月{day.day}日前 ",
    ):
        assert parse_date(text) == day, text
    assert parse_date(dt.datetime.combine(day, dt.time())) == day
    serial = (day - dt.date(1899, 12, 30)).days
    assert parse_date(float(serial)) == day


@given(DATES)
def test_a_month_alone_means_its_last_day(day):
    last = parse_date(f"{day.year}年{day.month}月")
    assert (last.year, last.month) == (day.year, day.month)
    assert (last + dt.timedelta(days=1)).day == 1


@given(st.integers(min_value=1, max_value=999))
def test_working_days(n):
    assert parse_working_days(f"{n}个工作日") == n
    assert parse_working_days(f"{n} 个工作日内") == n
    assert parse_working_days(f"{n} working days") == n
    assert parse_date(f"{n}个工作日") is None


def test_what_is_not_a_deadline():
    for text in ("尽快", "长期坚持", "2026年13月", "2026-02-30", "", "工作日"):
        assert parse_date(text) is None and parse_working_days(text) is None
