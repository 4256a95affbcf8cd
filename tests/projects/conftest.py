from __future__ import annotations

import pytest

# The Chromium fixtures, for the project pages' browser tests in this package.
from tests.browser.conftest import browser, login_as, page, screenshot  # noqa: F401
from tests.orgs.factories import LeaderFactory
from tests.projects.factories import (
    CategoryFactory,
    ProjectFactory,
    ProjectStatusFactory,
    ReportingPeriodFactory,
)


@pytest.fixture
def library(db, unit_a, unit_b):
    """A small 2026 list: two projects of unit A (green, red), one of unit B (yellow), with
    lamps of March; leader 张三 leads the industrial park."""
    industry = CategoryFactory(code="industry", name="工业项目", order=1)
    roads = CategoryFactory(code="infra", name="基础设施", order=2)
    zhang = LeaderFactory(name="张三", title="副县长")
    li = LeaderFactory(name="李四", title="常务副县长")
    march = ReportingPeriodFactory(year=2026, month=3)
    park = ProjectFactory(
        code="GY-001",
        name="工业园标准厂房建设项目",
        pinyin_initials="gyybzcfjsxm",
        category=industry,
        responsible_unit=unit_a,
        leaders=[zhang, li],
    )
    school = ProjectFactory(
        code="MS-002",
        name="城关第二小学",
        pinyin_initials="cgdexx",
        category=industry,
        responsible_unit=unit_a,
    )
    road = ProjectFactory(
        code="JT-003",
        name="县道改扩建工程",
        pinyin_initials="xdgkjgc",
        category=roads,
        responsible_unit=unit_b,
        cooperating_units=[unit_a],
    )
    ProjectStatusFactory(project=park, period=march, lamp="green")
    ProjectStatusFactory(
        project=school,
        period=march,
        lamp="red",
        reason="1–3月完成投资 100.00万元，为计划的 33%，低于 80%",
        ratio="0.3333",
        actual_ytd="100.00",
        planned_ytd="300.00",
    )
    ProjectStatusFactory(project=road, period=march, lamp="yellow")
    return {"park": park, "school": school, "road": road, "march": march, "zhang": zhang}
