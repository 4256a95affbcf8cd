"""Importing the project list: layouts counties use, all-or-nothing, matching, bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from luoshi.core.models import AuditEntry
from luoshi.projects.models import Project
from luoshi.projects.services_import import import_projects
from tests.projects_excel.workbooks import county_book, project_row, section

pytestmark = pytest.mark.django_db

YEAR = 2026


def sample(tmp_path, extra=()):
    """Two sections, a 合计 row at the top, text numbers, full-width digits and a dash."""
    data = [
        section("一、工业项目（2个）"),
        project_row(1, "城关镇 污水处理厂（二期）", "GY-01", total="1,234.50", plan="６００"),
        project_row(
            2,
            "新材料产业园",
            "GY-02",
            unit="县交通运输局",
            total=5000,
            plan="—",
            stage="新开工",
            years="2026-2028",
            leaders="张三、李四",
            coop="城关镇，交通局",
        ),
        section("二、基础设施项目（1个）"),
        project_row(
            3,
            "县城环线道路",
            None,
            unit="城关镇",
            total="２，０００",
            plan="1,000.00",
            years="2024—2026",
            leaders="李四（常务副县长）",
        ),
        *extra,
    ]
    total = [None, "合计", None, None, "8,234.50", "1,600.00"] + [None] * 5
    return county_book(tmp_path / "projects.xlsx", data, total=total)


def test_a_dry_run_lists_what_would_be_created_and_writes_nothing(tmp_path, county, officer):
    before = AuditEntry.objects.count()
    result = import_projects(actor=officer, file=sample(tmp_path), year=YEAR, dry_run=True)
    assert result.errors == []
    assert [c.name for c in result.created] == [
        "城关镇 污水处理厂（二期）",
        "新材料产业园",
        "县城环线道路",
    ]
    assert result.warnings == []
    assert Project.objects.count() == 0
    assert AuditEntry.objects.count() == before


def test_a_real_run_creates_the_projects_with_their_links(tmp_path, county, officer):
    result = import_projects(actor=officer, file=sample(tmp_path), year=YEAR, dry_run=False)
    assert result.errors == [] and result.applied
    p1 = Project.objects.get(code="GY-01")
    assert p1.total_investment == Decimal("1234.50")
    assert p1.annual_plan == Decimal("600.00")
    assert p1.category == county["industry"]
    assert p1.responsible_unit == county["fgj"]
    assert (p1.start_year, p1.end_year, p1.stage) == (2025, 2027, "continuing")
    assert p1.name_key == "城关镇污水处理厂(二期)"
    assert p1.pinyin_initials == "cgzwsclceq"
    p2 = Project.objects.get(code="GY-02")
    assert p2.annual_plan == Decimal("0.00")
    assert p2.stage == "new"
    assert set(p2.leaders.values_list("name", flat=True)) == {"张三", "李四"}
    assert set(p2.cooperating_units.all()) == {county["cgz"]}
    p3 = Project.objects.get(name="县城环线道路")
    assert p3.category == county["infra"]
    assert p3.code == "2026-0001"
    assert p3.total_investment == Decimal("2000.00")
    assert (p3.start_year, p3.end_year) == (2024, 2026)
    assert AuditEntry.objects.filter(action="create", object_type="projects.project").count() == 3
