from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from luoshi.core.clock import frozen
from luoshi.orgs.choices import Role
from tests.orgs.factories import LeaderFactory, UnitFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    # Stored in UTC: the audit hash covers the time as the database gives it back.
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI).astimezone(dt.UTC)


@pytest.fixture
def clock():
    """``clock(date)`` freezes luoshi's clock at 10:00 Shanghai of that day."""
    stack = []

    def set_day(day: dt.date, hour: int = 10):
        if stack:
            stack.pop().__exit__(None, None, None)
        ctx = frozen(at(day, hour))
        ctx.__enter__()
        stack.append(ctx)

    yield set_day
    while stack:
        stack.pop().__exit__(None, None, None)


@pytest.fixture
def people(db, unit_a, unit_b):
    """The office, a leader (with a Leader record), the lead unit's reporter and head, a
    cooperating unit's reporter, and an unrelated unit's reporter."""
    leader = LeaderFactory(name="王强", title="副县长")
    other = UnitFactory(code="WJW", name="县卫生健康委员会", short_name="卫健委")
    return {
        "office": UserFactory(username="office", roles=[Role.SUPERVISION_OFFICER]),
        "leader": UserFactory(username="leader", roles=[Role.LEADER], leader=leader),
        "leader_record": leader,
        "reporter": UserFactory(username="rep_a", unit=unit_a, roles=[Role.UNIT_REPORTER]),
        "head": UserFactory(username="head_a", unit=unit_a, roles=[Role.UNIT_HEAD]),
        "coop": UserFactory(username="rep_b", unit=unit_b, roles=[Role.UNIT_REPORTER]),
        "stranger": UserFactory(username="rep_c", unit=other, roles=[Role.UNIT_REPORTER]),
        "unit_a": unit_a,
        "unit_b": unit_b,
        "unit_c": other,
    }
