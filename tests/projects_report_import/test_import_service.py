"""The monthly report sheet: the unit's prefilled sheet, filled and imported back."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
import python_calamine as pc

from luoshi.core.models import AuditEntry
from luoshi.projects.choices import ReportStatus
from luoshi.projects.excel.reports import write_prefilled
from luoshi.projects.models import MonthlyReport, Project
from luoshi.projects.services_report_import import import_reports
from tests.projects.factories import ProjectFactory, ReportingPeriodFactory
from tests.projects_excel.workbooks import write_book

# These tests assert the English wording of messages.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_ui")]


def prefilled(tmp_path: Path, world, unit=None) -> list[list]:
    fh = io.BytesIO()
    write_prefilled(
        fh,
        projects=Project.objects.filter(responsible_unit=unit or world.unit_a),
        year=2026,
        month=10,
    )
    path = tmp_path / "prefilled.xlsx"
    path.write_bytes(fh.getvalue())
    book = pc.CalamineWorkbook.from_path(str(path))
    return [list(r) for r in book.get_sheet_by_index(0).to_python(skip_empty_area=False)]


def save(tmp_path: Path, rows: list[list], name: str = "filled.xlsx") -> Path:
    merges = [(0, 0, 0, len(rows[1]) - 1)]
    for c, v in enumerate(rows[1]):
        if v != "投资情况（万元）" and rows[2][c] in ("", None):
            merges.append((1, c, 2, c))
    group = [c for c, v in enumerate(rows[2]) if v not in ("", None)]
    merges.append((1, group[0], 1, group[-1]))
    clean = [[None if v == "" else v for v in row] for row in rows]
    return write_book(tmp_path / name, {"10月": clean}, {"10月": merges})


def col(rows: list[list], header: str) -> int:
    for r in (1, 2):
        for c, v in enumerate(rows[r]):
            if v == header:
                return c
    raise KeyError(header)


def test_the_prefilled_sheet_imports_back_unchanged(world, tmp_path):
    rows = prefilled(tmp_path, world)
    assert [r[col(rows, "项目编号")] for r in rows[3:]] == ["XM-A"]
    result = import_reports(
        actor=world.reporter_a, file=tmp_path / "prefilled.xlsx", year=2026, month=10, dry_run=False
    )
    assert result.ok, result.errors
    assert result.changes == [] and result.skipped == 1
    assert not MonthlyReport.objects.exists()


def test_a_filled_prefilled_sheet_saves_the_reports(world, tmp_path):
    september = ReportingPeriodFactory(year=2026, month=9, deadline=dt.date(2026, 10, 12))
    MonthlyReport.objects.create(
        project=world.project_a,
        period=september,
        unit=world.unit_a,
        status=ReportStatus.ACCEPTED,
        investment_month=Decimal("100.00"),
        investment_ytd=Decimal("900.00"),
        investment_since_start=Decimal("5000.00"),
    )
    rows = prefilled(tmp_path, world)
    assert rows[3][col(rows, "1–9月完成投资")] == 900.0
    rows[3][col(rows, "本月完成投资")] = "1,200.50"  # numbers as text with a separator
    rows[3][col(rows, "1–10月完成投资")] = 2100.5
    rows[3][col(rows, "形象进度")] = "主体封顶"
    rows[3][col(rows, "需协调事项")] = "用地指标"
    path = save(tmp_path, rows)
    result = import_reports(
        actor=world.reporter_a, file=path, year=2026, month=10, dry_run=False, submit=True
    )
    assert result.ok, result.errors
    assert [c.action for c in result.changes] == ["create"]
    report = MonthlyReport.objects.get(project=world.project_a, period=world.period)
    assert report.investment_month == Decimal("1200.50")
    assert report.investment_ytd == Decimal("2100.50")
    assert report.progress_text == "主体封顶"
    assert report.needs_coordination
    assert report.status == ReportStatus.SUBMITTED and result.submitted == 1
    assert AuditEntry.objects.filter(object_id=str(report.pk)).count() == 2
    # the same file again: nothing changes
    again = import_reports(actor=world.reporter_a, file=path, year=2026, month=10, dry_run=False)
    assert again.ok and [c.action for c in again.changes] == ["unchanged"]


def header_rows() -> list[list]:
    return [
        ["2026年10月月报", None, None, None, None, None],
        ["序号", "项目名称", "投资情况（万元）", "", "存在问题", "形象进度"],
        ["", "", "1–10月完成投资", "本月完成投资", "", ""],
    ]


def test_bad_rows_are_listed_and_nothing_is_written(world, tmp_path):
    extra = [ProjectFactory(responsible_unit=world.unit_a, name=f"甲{i}号项目") for i in range(3)]
    rows = header_rows() + [
        ["一、工业项目（5个）", None, None, None, None, None],
        [1, "甲项目", None, "10", None, "—"],
        [2, "甲0号项目", None, "-5", None, None],
        [3, "甲1号项目", None, "十万", None, None],
        [4, "没有这个项目", None, "3", None, None],
        [5, "甲2号项目", None, "7", None, None],
        ["合计", None, None, None, None, None],
    ]
    path = write_book(tmp_path / "bad.xlsx", {"Sheet1": rows})
    result = import_reports(actor=world.reporter_a, file=path, year=2026, month=10, dry_run=False)
    assert sorted((e.row, e.column) for e in result.errors) == [(6, "D"), (7, "D"), (8, "")]
    assert {e.value for e in result.errors} == {"-5", "十万", "没有这个项目"}
    assert not MonthlyReport.objects.exists()
    assert len(extra) == 3


def test_a_reporter_cannot_import_another_units_project(world, tmp_path):
    rows = header_rows() + [
        [1, "甲项目", None, "10", None, None],
        [2, "乙项目", None, 5, None, None],
    ]
    path = write_book(tmp_path / "b.xlsx", {"Sheet1": rows})
    result = import_reports(actor=world.reporter_a, file=path, year=2026, month=10, dry_run=False)
    assert [(e.row, e.value) for e in result.errors] == [(5, "乙项目")]
    assert (
        "乙项目" not in result.errors[0].message and world.unit_b.name in result.errors[0].message
    )
    assert not MonthlyReport.objects.exists()


def test_a_locked_period_is_refused(world, tmp_path):
    world.period.locked_at = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    world.period.save()
    path = write_book(
        tmp_path / "l.xlsx", {"S": header_rows() + [[1, "甲项目", None, 1, None, None]]}
    )
    result = import_reports(actor=world.reporter_a, file=path, year=2026, month=10, dry_run=False)
    assert "locked" in result.errors[0].message
    assert not MonthlyReport.objects.exists()


def test_a_month_other_than_the_open_period_is_refused(world, tmp_path):
    path = write_book(
        tmp_path / "m.xlsx", {"S": header_rows() + [[1, "甲项目", None, 1, None, None]]}
    )
    result = import_reports(actor=world.reporter_a, file=path, year=2026, month=9, dry_run=False)
    assert "2026-10" in result.errors[0].message and "2026-09" in result.errors[0].message
    assert not MonthlyReport.objects.exists()


def test_a_dry_run_shows_the_changes_and_writes_nothing(world, tmp_path):
    rows = header_rows() + [[1, "  甲 项目 ", None, "１２０", None, "开挖"]]
    path = write_book(tmp_path / "d.xlsx", {"S": rows})
    audit_before = AuditEntry.objects.count()
    result = import_reports(actor=world.reporter_a, file=path, year=2026, month=10, dry_run=True)
    assert result.ok, result.errors
    assert [(c.action, c.code) for c in result.changes] == [("create", "XM-A")]
    assert not MonthlyReport.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_a_year_to_date_that_does_not_follow_the_previous_months_is_refused(world, tmp_path):
    september = ReportingPeriodFactory(year=2026, month=9, deadline=dt.date(2026, 10, 12))
    MonthlyReport.objects.create(
        project=world.project_a,
        period=september,
        unit=world.unit_a,
        investment_month=Decimal("100.00"),
        investment_ytd=Decimal("900.00"),
        investment_since_start=Decimal("900.00"),
    )
    rows = header_rows() + [[1, "甲项目", "1000", "50", None, None]]
    path = write_book(tmp_path / "y.xlsx", {"S": rows})
    result = import_reports(actor=world.reporter_a, file=path, year=2026, month=10, dry_run=False)
    assert len(result.errors) == 1 and "950.00" in result.errors[0].message
    assert MonthlyReport.objects.count() == 1


def test_the_office_checks_but_does_not_write(world, tmp_path):
    rows = header_rows() + [[1, "乙项目", None, "5", None, None]]
    path = write_book(tmp_path / "o.xlsx", {"S": rows})
    checked = import_reports(actor=world.office, file=path, year=2026, month=10, dry_run=True)
    assert checked.ok and len(checked.created) == 1
    refused = import_reports(actor=world.office, file=path, year=2026, month=10, dry_run=False)
    assert refused.errors and not MonthlyReport.objects.exists()


def milestone_rows(*cells, names=("甲项目", "丙项目")) -> list[list]:
    head = [
        ["2026年10月月报", None, None, None, None],
        ["序号", "项目名称", "投资情况（万元）", "节点完成情况", "形象进度"],
        ["", "", "本月完成投资", "", ""],
    ]
    return head + [[i + 1, names[i], "10", cell, None] for i, cell in enumerate(cells)]


@pytest.fixture
def milestones(world):
    """The project's milestones (from the factory): 开工 20, 主体完工 30, 竣工 50 weight."""
    return list(world.project_a.milestones.order_by("order"))


def test_the_milestones_reached_column_is_imported(world, milestones, tmp_path):
    rows = milestone_rows("开工：2026-03-15；主 体 完 工（10月8日）")
    path = write_book(tmp_path / "ms.xlsx", {"S": rows})
    checked = import_reports(actor=world.reporter_a, file=path, year=2026, month=10, dry_run=True)
    assert checked.ok, checked.errors
    assert ("milestones reached", "", "开工 2026-03-15；主体完工 2026-10-08") in (
        checked.changes[0].fields
    )
    result = import_reports(actor=world.reporter_a, file=path, year=2026, month=10, dry_run=False)
    assert result.ok, result.errors
    report = MonthlyReport.objects.get(project=world.project_a)
    from luoshi.projects.models import ReportMilestone

    assert sorted(
        ReportMilestone.objects.filter(report=report).values_list("milestone__name", "reached_on")
    ) == [("主体完工", dt.date(2026, 10, 8)), ("开工", dt.date(2026, 3, 15))]
    assert report.physical_progress == 50  # the weights of the milestones reached
    # the same file again changes nothing; an empty cell keeps what was reported
    again = import_reports(actor=world.reporter_a, file=path, year=2026, month=10, dry_run=True)
    assert [c.action for c in again.changes] == ["unchanged"]


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("验收 2026-10-01", "no milestone called “验收”; its milestones are: 开工、主体完工、竣工"),
        ("开工 2026-12-01", "cannot be in the future"),
        ("开工 2026-02-30", "not a real day"),
        ("开工", "is not a milestone and its date"),
        ("开工 2026-10-01；开工 2026-10-02", "given twice"),
        ("开工 2020-01-01", "before the project's start year"),
    ],
)
def test_a_bad_milestone_cell_is_listed_with_its_cell_and_nothing_is_written(
    world, milestones, tmp_path, cell, reason
):
    ProjectFactory(responsible_unit=world.unit_a, name="丙项目")
    path = write_book(tmp_path / "bad-ms.xlsx", {"S": milestone_rows("开工 2026-03-01", cell)})
    result = import_reports(actor=world.reporter_a, file=path, year=2026, month=10, dry_run=False)
    assert [(e.row, e.column, e.value) for e in result.errors] == [(5, "D", cell)], result.errors
    assert reason in result.errors[0].message
    assert not MonthlyReport.objects.exists()


def test_the_prefilled_sheet_lists_the_milestones_ahead_and_reads_back_those_reached(
    world, milestones, tmp_path
):
    """Offline, the reporter sees the milestones still ahead with their planned dates, writes
    the one reached in 节点完成情况, and the import records it; the next prefilled sheet shows
    it as reached and imports back unchanged."""
    rows = prefilled(tmp_path, world)
    ahead = rows[3][col(rows, "待完成节点（计划时间）")]
    assert [part.split("（")[0] for part in ahead.split("；")] == ["开工", "主体完工", "竣工"]
    assert rows[3][col(rows, "节点完成情况")] == ""
    rows[3][col(rows, "本月完成投资")] = 10
    rows[3][col(rows, "节点完成情况")] = "开工 2026-10-09"
    result = import_reports(
        actor=world.reporter_a, file=save(tmp_path, rows), year=2026, month=10, dry_run=False
    )
    assert result.ok, result.errors
    from luoshi.projects.models import ReportMilestone

    report = MonthlyReport.objects.get(project=world.project_a, period=world.period)
    assert list(
        ReportMilestone.objects.filter(report=report).values_list("milestone__name", "reached_on")
    ) == [("开工", dt.date(2026, 10, 9))]

    again = prefilled(tmp_path, world)
    assert again[3][col(again, "节点完成情况")] == "开工 2026-10-09"
    assert "开工" not in again[3][col(again, "待完成节点（计划时间）")]
    unchanged = import_reports(
        actor=world.reporter_a, file=tmp_path / "prefilled.xlsx", year=2026, month=10, dry_run=True
    )
    assert unchanged.ok and [c.action for c in unchanged.changes] == ["unchanged"]
