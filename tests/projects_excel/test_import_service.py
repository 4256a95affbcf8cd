"""Importing the project list: layouts counties use, all-or-nothing, matching, bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from luoshi.core.models import AuditEntry
from luoshi.projects.models import MonthlyPlan, Project
from luoshi.projects.services_import import import_projects
from tests.projects.factories import ProjectFactory
from tests.projects_excel.workbooks import county_book, project_row, section, write_book

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


def test_a_file_with_three_bad_rows_lists_exactly_those_cells_and_writes_nothing(
    tmp_path, county, officer
):
    data = [
        section("一、工业项目"),
        project_row(1, "好项目甲", "A-1"),
        project_row(2, "负投资项目", "A-2", total="-100"),
        project_row(3, "未知单位项目", "A-3", unit="县不存在局"),
        project_row(4, "年限颠倒项目", "A-4", years="2027-2025"),
        project_row(5, "好项目乙", "A-5"),
    ]
    before = AuditEntry.objects.count()
    result = import_projects(
        actor=officer, file=county_book(tmp_path / "bad.xlsx", data), year=YEAR, dry_run=False
    )
    got = [(e.sheet, e.row, e.column, e.header, e.value) for e in result.errors]
    assert got == [
        ("重点项目", 7, "E", "总投资", "-100"),
        ("重点项目", 8, "D", "责任单位", "县不存在局"),
        ("重点项目", 9, "H", "建设起止年限", "2027-2025"),
    ]
    reasons = [e.message for e in result.errors]
    assert "negative" in reasons[0]
    assert "县不存在局" in reasons[1]
    assert "2027" in reasons[2] and "2025" in reasons[2]
    assert not result.applied
    assert Project.objects.count() == 0
    assert AuditEntry.objects.count() == before


def test_rows_match_existing_projects_by_code_and_by_normalised_name(tmp_path, county, officer):
    by_code = ProjectFactory(
        code="GY-01", name="旧名称", responsible_unit=county["fgj"], category=county["industry"]
    )
    by_name = ProjectFactory(
        code="OLD-9",
        name="新材料产业园",
        responsible_unit=county["fgj"],
        category=county["industry"],
    )
    data = [
        section("一、工业项目"),
        project_row(1, "城关镇污水处理厂", "GY-01", total=10000, plan=1200),
        # full-width letters and spaces in the name, no code: the same project
        project_row(2, "新材料 产业园", None, total=10000, plan=1200),
    ]
    result = import_projects(
        actor=officer, file=county_book(tmp_path / "m.xlsx", data), year=YEAR, dry_run=False
    )
    assert result.errors == []
    assert result.created == []
    assert {c.code for c in result.updated} == {"GY-01", "OLD-9"}
    by_code.refresh_from_db()
    assert by_code.name == "城关镇污水处理厂"
    assert by_code.name_key == "城关镇污水处理厂"
    assert Project.objects.count() == 2
    entry = AuditEntry.objects.filter(action="update", object_id=str(by_code.pk)).get()
    assert entry.before["name"] == "旧名称" and entry.after["name"] == "城关镇污水处理厂"
    assert "annual_plan" not in entry.after  # only the changed fields are recorded
    assert by_name.pk in {int(e.object_id) for e in AuditEntry.objects.filter(action="update")}


def test_full_width_digits_and_letters_in_a_name_match_the_half_width_project(
    tmp_path, county, officer
):
    ProjectFactory(
        code="X1",
        name="G107国道改造",
        responsible_unit=county["fgj"],
        category=county["industry"],
        total_investment=Decimal("1234.50"),
        annual_plan=Decimal("600.00"),
        start_year=2025,
        end_year=2027,
        content="新建厂房2万平方米",
        leaders=[county["zhang"]],
    )
    data = [section("一、工业项目"), project_row(1, "Ｇ１０７ 国道改造", "X1")]
    result = import_projects(
        actor=officer, file=county_book(tmp_path / "fw.xlsx", data), year=YEAR, dry_run=True
    )
    assert result.errors == []
    assert [c.action for c in result.changes] == ["update"]
    # only the name's spelling differs; nothing else is reported as a change
    assert [f[0] for f in result.changes[0].fields] == ["name"]


def test_a_second_import_of_the_same_file_changes_nothing(tmp_path, county, officer):
    path = sample(tmp_path)
    import_projects(actor=officer, file=path, year=YEAR, dry_run=False)
    entries = AuditEntry.objects.count()
    result = import_projects(actor=officer, file=path, year=YEAR, dry_run=False)
    assert result.errors == []
    assert len(result.unchanged) == 3 and result.created == result.updated == []
    assert AuditEntry.objects.count() == entries


def test_the_same_code_twice_in_the_file_is_refused(tmp_path, county, officer):
    data = [section("一、工业项目"), project_row(1, "甲", "D-1"), project_row(2, "乙", "D-1")]
    result = import_projects(
        actor=officer, file=county_book(tmp_path / "d.xlsx", data), year=YEAR, dry_run=True
    )
    assert [(e.row, e.value) for e in result.errors] == [(7, "D-1")]
    assert "row 6" in result.errors[0].message


def test_a_missing_name_and_a_non_numeric_investment_are_named(tmp_path, county, officer):
    data = [
        section("一、工业项目"),
        project_row(1, "", "N-1"),
        project_row(2, "乙", "N-2", plan="约三百万"),
    ]
    result = import_projects(
        actor=officer, file=county_book(tmp_path / "n.xlsx", data), year=YEAR, dry_run=True
    )
    assert [(e.row, e.column) for e in result.errors] == [(6, "B"), (7, "F")]
    assert "name" in result.errors[0].message
    assert result.errors[1].value == "约三百万"


def test_an_unknown_category_section_lists_the_known_categories(tmp_path, county, officer):
    data = [section("一、文旅项目（1个）"), project_row(1, "古镇保护", "C-1")]
    result = import_projects(
        actor=officer, file=county_book(tmp_path / "c.xlsx", data), year=YEAR, dry_run=True
    )
    assert len(result.errors) == 1
    error = result.errors[0]
    assert (error.row, error.value) == (5, "文旅项目")
    assert "工业项目" in error.message and "基础设施项目" in error.message


def test_a_wrong_total_row_and_count_only_warn(tmp_path, county, officer):
    data = [section("一、工业项目（3个）"), project_row(1, "甲", "W-1", total=100, plan=10)]
    total = [None, "合 计", None, None, 999, 10] + [None] * 5
    result = import_projects(
        actor=officer,
        file=county_book(tmp_path / "w.xlsx", data, total=total),
        year=YEAR,
        dry_run=True,
    )
    assert result.errors == []
    messages = " ".join(w.message for w in result.warnings)
    assert "999.00" in messages and "100.00" in messages
    assert "3" in messages and "1" in messages


def test_monthly_plan_columns_are_stored_and_must_add_up_to_the_annual_plan(
    tmp_path, county, officer
):
    header = [
        "序号",
        "项目名称",
        "责任单位",
        "总投资（万元）",
        "年度计划投资",
        "2026年月度计划投资（万元）",
    ]
    header += [None] * 11
    sub = [None] * 5 + [f"{m}月" for m in range(1, 13)]
    good = [1, "甲项目", "发改局", 1000, 120] + [10] * 12
    bad = [2, "乙项目", "发改局", 1000, 120] + [10] * 11 + ["—"]
    rows = [["2026年重点项目月度计划表"], header, sub, ["一、工业项目"], good, bad]
    merges = [(1, c, 2, c) for c in range(5)] + [(1, 5, 1, 16)]
    path = write_book(tmp_path / "months.xlsx", {"Sheet1": rows}, {"Sheet1": merges})
    result = import_projects(actor=officer, file=path, year=YEAR, dry_run=True)
    assert len(result.errors) == 1
    assert result.errors[0].row == 6
    assert "110.00" in result.errors[0].message and "120.00" in result.errors[0].message

    rows[-1] = [2, "乙项目", "发改局", 1000, 110] + [10] * 11 + ["—"]
    path = write_book(tmp_path / "months2.xlsx", {"Sheet1": rows}, {"Sheet1": merges})
    result = import_projects(actor=officer, file=path, year=YEAR, dry_run=False)
    assert result.errors == []
    plans = dict(MonthlyPlan.objects.filter(project__name="乙项目").values_list("month", "planned"))
    assert plans[1] == Decimal("10.00") and plans[12] == Decimal("0.00") and len(plans) == 12


def test_a_reporter_cannot_import(tmp_path, county, unit_a):
    from luoshi.core.errors import NotPermitted
    from tests.orgs.factories import UserFactory

    reporter = UserFactory(unit=unit_a, roles=["reporter"])
    with pytest.raises(NotPermitted):
        import_projects(actor=reporter, file=sample(tmp_path), year=YEAR, dry_run=True)
