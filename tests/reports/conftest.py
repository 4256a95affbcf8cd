"""Fixtures of the monthly report tests: two units, each with a reporter and a head, a
project each, the office, and "now" fixed on 2026-11-03 10:00 in Asia/Shanghai, so the
open period is October 2026 with its deadline on 5 November."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from luoshi.core.clock import frozen
from tests.orgs.factories import UserFactory
from tests.projects.factories import ProjectFactory, ReportingPeriodFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """An aware moment in Asia/Shanghai."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


NOW = at(2026, 11, 3)


@pytest.fixture(autouse=True)
def clock():
    with frozen(NOW):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(db, unit_a, unit_b):
    office = UserFactory(username="office", roles=["officer"])
    period = ReportingPeriodFactory(year=2026, month=10, deadline=dt.date(2026, 11, 5))
    return SimpleNamespace(
        unit_a=unit_a,
        unit_b=unit_b,
        reporter_a=UserFactory(username="reporter_a", unit=unit_a, roles=["reporter"]),
        head_a=UserFactory(username="head_a", unit=unit_a, roles=["unit_head"]),
        reporter_b=UserFactory(username="reporter_b", unit=unit_b, roles=["reporter"]),
        head_b=UserFactory(username="head_b", unit=unit_b, roles=["unit_head"]),
        office=office,
        leader=UserFactory(username="leader", roles=["leader"]),
        sysadmin=UserFactory(username="sysadmin", roles=["sysadmin"]),
        project_a=ProjectFactory(responsible_unit=unit_a, code="XM-A", name="甲项目"),
        project_b=ProjectFactory(responsible_unit=unit_b, code="XM-B", name="乙项目"),
        period=period,
    )


def draft_data(**extra) -> dict:
    data = {
        "investment_month": "120.50",
        "progress_text": "主体结构施工至三层",
        "problems": "",
        "help_needed": "",
        "needs_coordination": False,
        "milestones": {},
    }
    data.update(extra)
    return data


# The Chromium fixtures, for this package's browser test.
from tests.browser.conftest import browser, login_as, page, screenshot  # noqa: E402, F401
