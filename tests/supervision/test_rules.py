"""The item lamp and overdue rules as pure functions: the holiday behaviour the office
relies on, and properties over any item (hypothesis)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.core.calendar import WorkingCalendar
from luoshi.supervision.choices import ItemLamp, ItemStatus
from luoshi.supervision.rules import (
    ItemFacts,
    Thresholds,
    acceptance_overdue,
    cutoffs,
    escalation_due,
    handling_overdue,
    item_lamp,
)

pytestmark = pytest.mark.django_db

SEVERITY = {ItemLamp.DONE: 0, ItemLamp.GREEN: 1, ItemLamp.YELLOW: 2, ItemLamp.RED: 3}
T = Thresholds()


@pytest.fixture(scope="module")
def calendar(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return WorkingCalendar(dt.date(2025, 10, 1), dt.date(2026, 12, 31))


def facts(**kw) -> ItemFacts:
    base = {
        "status": ItemStatus.IN_PROGRESS,
        "issued_on": dt.date(2026, 9, 1),
        "acceptance_due": dt.date(2026, 9, 2),
        "deadline": dt.date(2026, 9, 30),
        "accepted_on": dt.date(2026, 9, 2),
        "last_feedback_on": dt.date(2026, 9, 28),
    }
    return ItemFacts(**{**base, **kw})


def test_a_deadline_before_the_national_day_holiday_turns_red_after_it(calendar):
    f = facts()
    lamps = {
        day: item_lamp(f, cutoffs(day, T, calendar))
        for day in (
            dt.date(2026, 9, 30),
            dt.date(2026, 10, 1),
            dt.date(2026, 10, 7),
            dt.date(2026, 10, 8),
        )
    }
    assert lamps[dt.date(2026, 9, 30)] == ItemLamp.YELLOW  # the deadline is today
    assert lamps[dt.date(2026, 10, 1)] == ItemLamp.YELLOW  # holiday: not yet overdue
    assert lamps[dt.date(2026, 10, 7)] == ItemLamp.YELLOW
    assert lamps[dt.date(2026, 10, 8)] == ItemLamp.RED  # the first working day after it


def test_escalation_counts_working_days_overdue(calendar):
    f = facts()
    # 10-8, 10-9, 10-10 (调休 Saturday), 10-12, 10-13: the fifth working day overdue
    assert not escalation_due(f, cutoffs(dt.date(2026, 10, 12), T, calendar))
    assert escalation_due(f, cutoffs(dt.date(2026, 10, 13), T, calendar))


def test_a_closure_requested_in_time_stops_the_clock(calendar):
    c = cutoffs(dt.date(2026, 10, 20), T, calendar)
    waiting = facts(status=ItemStatus.CLOSURE_REQUESTED, closure_requested_on=dt.date(2026, 9, 29))
    late = facts(status=ItemStatus.CLOSURE_REQUESTED, closure_requested_on=dt.date(2026, 10, 9))
    assert item_lamp(waiting, c) == ItemLamp.GREEN and not handling_overdue(waiting, c)
    assert item_lamp(late, c) == ItemLamp.RED
    closed_late = facts(status=ItemStatus.CLOSED, done_on=dt.date(2026, 10, 9))
    assert item_lamp(closed_late, c) == ItemLamp.DONE and handling_overdue(closed_late, c)


def test_acceptance_overdue_is_counted_apart(calendar):
    issued = facts(status=ItemStatus.ISSUED, accepted_on=None, last_feedback_on=None)
    assert not acceptance_overdue(issued, cutoffs(dt.date(2026, 9, 2), T, calendar))
    c = cutoffs(dt.date(2026, 9, 3), T, calendar)
    assert acceptance_overdue(issued, c) and not handling_overdue(issued, c)
    assert item_lamp(issued, c) == ItemLamp.RED
    accepted_late = facts(accepted_on=dt.date(2026, 9, 4))
    assert acceptance_overdue(accepted_late, c)
    assert item_lamp(accepted_late, c) == ItemLamp.GREEN  # it is being handled now


def test_no_feedback_for_ten_days_is_yellow(calendar):
    f = facts(deadline=dt.date(2026, 12, 31), last_feedback_on=dt.date(2026, 9, 10))
    assert item_lamp(f, cutoffs(dt.date(2026, 9, 20), T, calendar)) == ItemLamp.GREEN
    assert item_lamp(f, cutoffs(dt.date(2026, 9, 21), T, calendar)) == ItemLamp.YELLOW


days = st.integers(min_value=0, max_value=300).map(
    lambda n: dt.date(2025, 11, 1) + dt.timedelta(days=n)
)
open_states = st.sampled_from(
    [ItemStatus.ISSUED, ItemStatus.ACCEPTED, ItemStatus.IN_PROGRESS, ItemStatus.RETURNED]
)


@st.composite
def item_facts(draw):
    issued = draw(days)
    deadline = issued + dt.timedelta(days=draw(st.integers(0, 120)))
    status = draw(open_states)
    accepted = (
        None if status == ItemStatus.ISSUED else issued + dt.timedelta(days=draw(st.integers(0, 5)))
    )
    feedback = None
    if status != ItemStatus.ISSUED and draw(st.booleans()):
        feedback = accepted + dt.timedelta(days=draw(st.integers(0, 60)))
    return ItemFacts(status, issued, issued + dt.timedelta(days=1), deadline, accepted, feedback)


@settings(max_examples=200, deadline=None)
@given(f=item_facts(), today=days, later=st.integers(1, 60))
def test_time_passing_never_improves_an_open_item_without_news(calendar, f, today, later):
    """With no new facts, tomorrow's lamp is never better than today's, unless the
    feedback clock is all that made it yellow (it cannot: no feedback came)."""
    day = max(today, f.issued_on)
    a = item_lamp(f, cutoffs(day, T, calendar))
    b = item_lamp(f, cutoffs(day + dt.timedelta(days=later), T, calendar))
    assert SEVERITY[b] >= SEVERITY[a]


@settings(max_examples=200, deadline=None)
@given(f=item_facts(), today=days, gap=st.integers(0, 30))
def test_fresh_feedback_never_worsens_the_lamp(calendar, f, today, gap):
    if f.status == ItemStatus.ISSUED:
        return
    day = max(today, f.issued_on)
    fresh = day - dt.timedelta(days=gap)
    if fresh < (f.last_feedback_on or f.accepted_on or f.issued_on):
        return
    c = cutoffs(day, T, calendar)
    before = item_lamp(f, c)
    after = item_lamp(
        ItemFacts(**{**f.__dict__, "last_feedback_on": fresh, "status": ItemStatus.IN_PROGRESS}), c
    )
    assert SEVERITY[after] <= SEVERITY[before]


def test_the_yellow_reason_says_when_the_deadline_is_today(calendar, settings):
    from django.utils import translation

    from luoshi.supervision.rules import lamp_reason

    f = facts()
    with translation.override("en"):
        today = lamp_reason(f, cutoffs(dt.date(2026, 9, 30), T, calendar))
        before = lamp_reason(f, cutoffs(dt.date(2026, 9, 28), T, calendar))
    assert today == "The deadline is today, 2026-09-30."
    assert before == "The deadline 2026-09-30 is near."
