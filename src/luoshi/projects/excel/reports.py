"""Reading the monthly report sheet (月报表): the same reader as the project list (merged
two-row headers in any order, section and 合计 rows skipped), with the report's own header
texts. The 1–N月完成投资 column is recognised for the month being imported; the previous
month's running total that the prefilled sheet shows (截至上月累计完成投资, or 1–(N-1)月) is
read only for display, never written."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO

import xlsxwriter
from django.db.models import QuerySet

from luoshi.projects.excel import layout
from luoshi.projects.excel.reader import ReadResult, read_tables
from luoshi.projects.excel.writer import Col, _batches, _data_row, _formats, _register_merge
from luoshi.projects.models import Milestone, MonthlyReport, ReportMilestone

REPORT_SYNONYMS: dict[str, tuple[str, ...]] = {
    "investment_month": (
        "本月完成投资",
        "当月完成投资",
        "本月投资",
        "当月投资",
        "本月完成",
        "月度完成投资",
        "本月实际完成投资",
    ),
    "previous_ytd": ("截至上月累计完成投资", "上月累计完成投资", "截至上月累计"),
    "investment_ytd": (
        "累计完成投资",
        "本年累计完成投资",
        "年度累计完成投资",
        "本年累计",
        "今年累计完成投资",
    ),
    "progress_text": ("形象进度", "工程形象进度", "项目进展情况", "进展情况", "形象进度情况"),
    "problems": ("存在问题", "存在的问题", "存在困难和问题", "存在的困难和问题", "问题"),
    "help_needed": (
        "需协调事项",
        "需协调解决事项",
        "需协调解决的问题",
        "需协调解决的事项",
        "协调事项",
        "需要协调事项",
    ),
    "milestones": ("节点完成情况", "节点完成", "节点情况", "节点完成时间"),
}
_BY_KEY = {key: f for f, keys in REPORT_SYNONYMS.items() for key in keys}
# "1–6月完成投资", "1-6月累计完成投资", "1至6月完成投资", "1月完成投资"
_SPAN = re.compile(r"^(?:1[-–—~～至到])?(\d{1,2})月(?:份)?(?:累计)?(?:实际)?完成(?:投资)?$")
# The fields the import reads; "name", "code", "seq" come from the project layout.
TEXT_COLUMNS = ("progress_text", "problems", "help_needed")
READ_FIELDS = (
    "investment_month",
    "investment_ytd",
    "progress_text",
    "problems",
    "help_needed",
    "milestones",
)


def report_lookup(month: int) -> Callable[[object], str | None]:
    """Header text → field for the sheet of ``month``; other texts as the project list."""

    def lookup(text: object) -> str | None:
        key = layout.header_key(text)
        if not key:
            return None
        if key in _BY_KEY:
            return _BY_KEY[key]
        span = _SPAN.match(key)
        if span:
            n = int(span.group(1))
            if n == month:
                return "investment_ytd"
            if n == month - 1:
                return "previous_ytd"
            return "ignored"
        found = layout.header_field(key)
        if found in ("seq", "name", "code", "unit", "annual_plan", "total_investment"):
            return found
        return None

    return lookup


def read_report_tables(path: str | Path, *, month: int) -> ReadResult:
    return read_tables(path, lookup=report_lookup(month))


def previous_ytd(project_ids: list[int], year: int, month: int) -> dict[int, Decimal]:
    """Year to date of each project's latest earlier report of the year (as
    ``report_content.earlier_totals`` reads it), in a bounded number of queries."""
    found: dict[int, tuple[int, Decimal]] = {}
    for i in range(0, len(project_ids), 900):
        for pid, m, ytd in MonthlyReport.objects.filter(
            project_id__in=project_ids[i : i + 900], period__year=year, period__month__lt=month
        ).values_list("project_id", "period__month", "investment_ytd"):
            if pid not in found or m > found[pid][0]:
                found[pid] = (m, ytd)
    return {pid: ytd for pid, (_m, ytd) in found.items()}


# ---------------------------------------------------------------------------------------
# The unit's prefilled sheet (单位月报预填表)


def prefilled_title(year: int, month: int) -> str:
    return f"{year}年{month}月重点项目月报表"


def _columns(year: int, month: int) -> list[Col]:
    invest = "投资情况（万元）"
    cols = [
        Col("seq", "序号", 6, "int"),
        Col("code", "项目编号", 12),
        Col("name", "项目名称", 30, "wrap"),
        Col("unit", "责任单位", 16, "wrap"),
        Col("annual_plan", f"{year}年计划投资", 13, "money", invest),
    ]
    if month > 1:
        prev = f"1–{month - 1}月完成投资" if month > 2 else "1月完成投资"
        cols.append(Col("previous_ytd", prev, 13, "money", invest))
    cols += [
        Col("investment_month", "本月完成投资", 13, "money", invest),
        Col(
            "investment_ytd",
            f"1–{month}月完成投资" if month > 1 else "1月完成投资",
            13,
            "money",
            invest,
        ),
        Col("progress_text", "形象进度", 32, "wrap"),
        Col("problems", "存在问题", 28, "wrap"),
        Col("help_needed", "需协调事项", 28, "wrap"),
        # For the reporter's eyes (not read back): the milestones still ahead, with the
        # dates planned, so the next column can be filled offline with their exact names.
        Col("pending_milestones", "待完成节点（计划时间）", 26, "wrap"),
        Col("milestones", "节点完成情况", 26, "wrap"),
    ]
    return cols


def _milestone_cells(ids: list[int], reports: dict[int, dict]) -> dict[int, dict[str, str]]:
    """Per project: the milestones still ahead with their planned dates, and those this
    month's report records as reached, written as ``parse_milestones`` reads them back
    ("开工 2026-03-15；主体封顶 2026-10-08"). Two queries per batch."""
    report_ids = {r["id"]: pid for pid, r in reports.items()}
    reached: dict[int, dict[int, date]] = {pid: {} for pid in ids}
    for rid, mid, day in ReportMilestone.objects.filter(report_id__in=list(report_ids)).values_list(
        "report_id", "milestone_id", "reached_on"
    ):
        reached[report_ids[rid]][mid] = day
    cells: dict[int, dict[str, list[str]]] = {pid: {"pending": [], "reached": []} for pid in ids}
    for pid, mid, name, planned, done in (
        Milestone.objects.filter(project_id__in=ids)
        .order_by("project_id", "order", "planned_on", "id")
        .values_list("project_id", "id", "name", "planned_on", "reached_on")
    ):
        if mid in reached[pid]:
            cells[pid]["reached"].append(f"{name} {reached[pid][mid].isoformat()}")
        elif done is None:
            cells[pid]["pending"].append(f"{name}（{planned.isoformat()}）")
    return {
        pid: {
            "pending_milestones": "；".join(c["pending"]),
            "milestones": "；".join(c["reached"]),
        }
        for pid, c in cells.items()
    }


def write_prefilled(fh: IO[bytes], *, projects: QuerySet, year: int, month: int) -> int:
    """The reporting sheet of ``projects`` (already scoped by the caller) for ``year``-
    ``month``: what the unit knows filled in (plan, previous running total, this month's
    report if one exists), the rest empty. It reads back through ``read_report_tables``
    unchanged. Streams in constant-memory mode; returns the number of project rows."""
    cols = _columns(year, month)
    wb = xlsxwriter.Workbook(fh, {"constant_memory": True, "in_memory": False})
    n = 0
    try:
        f = _formats(wb)
        sheet = wb.add_worksheet(f"{month}月")
        for c, col in enumerate(cols):
            sheet.set_column(c, c, col.width)
        sheet.merge_range(0, 0, 0, len(cols) - 1, prefilled_title(year, month), f["title"])
        groups = [c for c, col in enumerate(cols) if col.group]
        for c, col in enumerate(cols):
            if not col.group:
                _register_merge(sheet, 1, c, 2, c)
        _register_merge(sheet, 1, groups[0], 1, groups[-1])
        for c, col in enumerate(cols):
            sheet.write_string(1, c, col.group or col.header, f["head"])
        for c, col in enumerate(cols):
            if col.group:
                sheet.write_string(2, c, col.header, f["head"])
            else:
                sheet.write_blank(2, c, None, f["head"])
        r = 3
        qs = projects.filter(year=year).order_by("responsible_unit__name", "code")
        for batch in _batches(qs, ["id", "code", "name", "annual_plan", "responsible_unit__name"]):
            ids = [p["id"] for p in batch]
            before = previous_ytd(ids, year, month)
            reports = {
                rep["project_id"]: rep
                for rep in MonthlyReport.objects.filter(
                    project_id__in=ids, period__year=year, period__month=month
                ).values("id", "project_id", "investment_month", "investment_ytd", *TEXT_COLUMNS)
            }
            milestones = _milestone_cells(ids, reports)
            for p in batch:
                n += 1
                values = {
                    "seq": n,
                    "code": p["code"],
                    "name": p["name"],
                    "unit": p["responsible_unit__name"],
                    "annual_plan": p["annual_plan"],
                    "previous_ytd": before.get(p["id"]),
                    **reports.get(p["id"], {}),
                    **milestones[p["id"]],
                }
                _data_row(sheet, r, cols, values, f)
                r += 1
    finally:
        wb.close()
    return n
