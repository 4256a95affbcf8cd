"""Exporting the key-project list in the common layout of county tables (重点项目表): a title,
two merged header rows, one section row per category with its count and subtotals, a 合计
row, 万元 with two decimals. With a month, the progress table (推进情况表): 1–N月完成投资 from
the accepted reports, 完成率, 形象进度, 存在问题 and the lamp.

The header texts are the official table's, in Chinese whatever the UI language: the office
files these tables upward and the import reads them back by the same texts.

Rows stream through xlsxwriter's ``constant_memory`` mode (strictly top to bottom) in
batches of 2,000 projects, each batch's leaders, units and reports fetched in one query
each: memory grows only by the table's order (an id and a category per project) and the
names of units and leaders, not by the projects' text."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from django.db.models import Count, QuerySet, Sum

from luoshi.core.audit import audit_record
from luoshi.core.choices import AuditAction
from luoshi.core.permissions import Perm, require, unit_scope
from luoshi.orgs.models import Leader, Unit
from luoshi.projects.choices import ReportStatus
from luoshi.projects.excel.layout import LAMP_TEXT, STAGE_TEXT, section_title
from luoshi.projects.models import (
    Category,
    MonthlyPlan,
    MonthlyReport,
    Project,
    ProjectStatus,
    ReportingPeriod,
)

BATCH = 2000
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Col:
    key: str
    header: str
    width: float
    kind: str = "text"  # text | wrap | money | percent | int
    group: str = ""  # parent header over adjacent columns of the same group


def columns_for(year: int, month: int | None) -> list[Col]:
    invest = "投资情况（万元）"
    if month is None:
        cols = [
            Col("seq", "序号", 6, "int"),
            Col("code", "项目编号", 12),
            Col("name", "项目名称", 30, "wrap"),
            Col("content", "建设内容及规模", 40, "wrap"),
            Col("location", "建设地点", 14, "wrap"),
            Col("total_investment", "总投资", 13, "money", invest),
            Col("annual_plan", f"{year}年计划投资", 13, "money", invest),
            Col("years", "建设起止年限", 12),
            Col("stage", "项目阶段", 8),
            Col("unit", "责任单位", 16, "wrap"),
            Col("cooperating", "配合单位", 20, "wrap"),
            Col("leaders", "责任领导", 14, "wrap"),
        ]
        plan = f"{year}年月度计划投资（万元）"
        cols += [Col(f"m{m}", f"{m}月", 10, "money", plan) for m in range(1, 13)]
        return cols
    return [
        Col("seq", "序号", 6, "int"),
        Col("name", "项目名称", 30, "wrap"),
        Col("content", "建设内容及规模", 40, "wrap"),
        Col("total_investment", "总投资", 13, "money", invest),
        Col("annual_plan", f"{year}年计划投资", 13, "money", invest),
        Col("ytd", f"1–{month}月完成投资" if month > 1 else "1月完成投资", 13, "money", invest),
        Col("ratio", "完成率", 10, "percent", invest),
        Col("progress", "形象进度", 32, "wrap"),
        Col("problems", "存在问题", 28, "wrap"),
        Col("unit", "责任单位", 16, "wrap"),
        Col("leaders", "责任领导", 14, "wrap"),
        Col("lamp", "预警", 8),
    ]


def title_for(year: int, month: int | None) -> str:
    if month is None:
        return f"{year}年全县重点项目表"
    span = f"1–{month}月" if month > 1 else "1月"
    return f"{year}年{span}全县重点项目推进情况表"


def _scoped(user: Any, year: int) -> QuerySet:
    """The pages' scope: a unit's users export their unit's projects (as responsible unit);
    ``None`` is the server console and exports everything."""
    qs = Project.objects.filter(year=year)
    return qs if user is None else unit_scope(user).filter(qs, "responsible_unit")


def _register_merge(sheet: Any, r1: int, c1: int, r2: int, c2: int) -> None:
    """Record a merged range without writing its cells. ``merge_range`` pads every covered
    cell, which under ``constant_memory`` would flush the header's first row before its
    other cells are written; the header is written row by row instead."""
    sheet.merge.append([r1, c1, r2, c2])
    ref = xlsxwriter.utility.xl_range(r1, c1, r2, c2)
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            sheet.merged_cells[(r, c)] = ref


def _batches(qs: QuerySet, fields: list[str]) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in qs.values(*fields).iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _names_by_project(
    through: Any, ids: list[int], key: str, names: dict[int, tuple[Any, ...]]
) -> dict[int, list[str]]:
    """The linked names of each project, in the order of ``names`` (id → (sort key…, name)).
    The link table alone is read and the names come from a dictionary: joining and sorting
    in the database cost seconds per batch at province scale."""
    found: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for pid, other in through.objects.filter(project_id__in=ids).values_list("project_id", key):
        if other in names:
            found[pid].append(names[other])
    return {pid: [n[-1] for n in sorted(rows)] for pid, rows in found.items()}


def _table_order(qs: QuerySet) -> list[tuple[int, int]]:
    """(project id, category id) of the table's rows in its order: categories by their
    order, then project code. Sorted here from a narrow read of the project table; the
    database would join the categories and sort the wide rows first."""
    rank = {
        pk: (order, code) for pk, order, code in Category.objects.values_list("pk", "order", "code")
    }
    rows = list(qs.order_by().values_list("id", "category_id", "code"))
    rows.sort(key=lambda r: (rank.get(r[1], (0, "")), r[1], r[2], r[0]))
    return [(pid, cat) for pid, cat, _code in rows]


def _in_order(model_qs: QuerySet, ids: list[int], fields: list[str]) -> list[dict]:
    by_id = {row["id"]: row for row in model_qs.filter(id__in=ids).values(*fields)}
    return [by_id[pid] for pid in ids if pid in by_id]


def write_projects(fh: IO[bytes], *, user: Any, year: int, month: int | None = None) -> int:
    """Write the ``year``'s projects the user may see to ``fh``; returns the project count.

    A fixed number of queries per batch of 2,000 projects, none joining: the order, the
    names of units and leaders and the period are resolved in Python (at province scale
    the joins and the database's sorting cost more than the whole sheet)."""
    cols = columns_for(year, month)
    qs = _scoped(user, year)
    categories = {c.pk: c.name for c in Category.objects.all()}
    order = _table_order(qs)
    category_of = dict(order)
    per_cat = list(
        qs.order_by()
        .values("category_id")
        .annotate(n=Count("id"), total=Sum("total_investment"), plan=Sum("annual_plan"))
    )
    period_id = None
    if month is not None:
        period_id = (
            ReportingPeriod.objects.filter(year=year, month=month)
            .values_list("id", flat=True)
            .first()
        )
    # The accepted 1–N月 figure of each project: the 合计 and section rows come before the
    # projects in the sheet, so their sums are needed first.
    ytd: dict[int, Decimal] = {}
    if period_id is not None:
        for pid, value in MonthlyReport.objects.filter(
            period_id=period_id, status=ReportStatus.ACCEPTED
        ).values_list("project_id", "investment_ytd"):
            if pid in category_of:
                ytd[pid] = value
    ytd_by_cat: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for pid, value in ytd.items():
        ytd_by_cat[category_of[pid]] += value or ZERO
    cat_sums = {
        r["category_id"]: {
            "n": r["n"],
            "total_investment": r["total"] or ZERO,
            "annual_plan": r["plan"] or ZERO,
            "ytd": ytd_by_cat.get(r["category_id"], ZERO),
        }
        for r in per_cat
    }
    grand = {
        k: sum((s[k] for s in cat_sums.values()), ZERO)
        for k in ("total_investment", "annual_plan", "ytd")
    }
    grand["n"] = sum(s["n"] for s in cat_sums.values())
    units: dict[int, tuple[Any, ...]] = {}
    leaders = {
        pk: (precedence, pk, name)
        for pk, precedence, name in Leader.objects.values_list("pk", "precedence", "name")
    }

    def unit_names(ids: set[int]) -> None:
        missing = ids - units.keys()
        if missing:
            for pk, uorder, code, name in Unit.objects.filter(id__in=missing).values_list(
                "pk", "order", "code", "name"
            ):
                units[pk] = (uorder, code, name)

    wb = xlsxwriter.Workbook(
        fh, {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    try:
        sheet = wb.add_worksheet("重点项目")
        f = _formats(wb)
        last = len(cols) - 1
        for i, col in enumerate(cols):
            sheet.set_column(i, i, col.width)
        # Title and unit note
        sheet.set_row(0, 30)
        sheet.merge_range(0, 0, 0, last, title_for(year, month), f["title"])
        sheet.write_string(1, last, "单位：万元", f["note"])
        # Two header rows: groups merged across, single columns merged down.
        h1, h2 = 2, 3
        c = 0
        spans: list[tuple[int, int, str]] = []
        while c < len(cols):
            group = cols[c].group
            end = c
            while group and end + 1 < len(cols) and cols[end + 1].group == group:
                end += 1
            spans.append((c, end, group))
            c = end + 1
        for start, end, group in spans:
            sheet.write_string(h1, start, group or cols[start].header, f["head"])
            for k in range(start + 1, end + 1):
                sheet.write_blank(h1, k, None, f["head"])
        for start, end, group in spans:
            for k in range(start, end + 1):
                if group:
                    sheet.write_string(h2, k, cols[k].header, f["head"])
                else:
                    sheet.write_blank(h2, k, None, f["head"])
        for start, end, group in spans:
            if group:
                if end > start:
                    _register_merge(sheet, h1, start, h1, end)
            else:
                _register_merge(sheet, h1, start, h2, start)
        sheet.set_row(h1, 22)
        sheet.set_row(h2, 22)
        name_col = next(i for i, col in enumerate(cols) if col.key == "name")
        sheet.freeze_panes(h2 + 1, name_col + 1)
        sheet.repeat_rows(h1, h2)
        sheet.set_landscape()
        sheet.set_paper(8)  # A3
        sheet.fit_to_pages(1, 0)
        sheet.center_horizontally()
        sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        sheet.set_footer("&C第 &P 页，共 &N 页")

        r = h2 + 1
        label_end = max(0, min(i for i, col in enumerate(cols) if col.kind == "money") - 1)
        _summary_row(sheet, r, cols, label_end, "合计", grand, f, total=True)
        r += 1

        fields = [
            "id",
            "code",
            "name",
            "content",
            "location",
            "total_investment",
            "annual_plan",
            "start_year",
            "end_year",
            "stage",
            "category_id",
            "responsible_unit_id",
        ]
        write_row = _row_writer(sheet, cols, f)
        current_cat: int | None = None
        sections = 0
        seq = 0
        for i in range(0, len(order), BATCH):
            ids = [pid for pid, _cat in order[i : i + BATCH]]
            batch = _in_order(Project.objects, ids, fields)
            led = _names_by_project(Project.leaders.through, ids, "leader_id", leaders)
            extra: dict[int, dict[str, Any]] = defaultdict(dict)
            if month is None:
                links = list(
                    Project.cooperating_units.through.objects.filter(
                        project_id__in=ids
                    ).values_list("project_id", "unit_id")
                )
                unit_names({p["responsible_unit_id"] for p in batch} | {u for _p, u in links})
                coop: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
                for pid, uid in links:
                    coop[pid].append(units[uid])
                for pid, names in coop.items():
                    extra[pid]["cooperating"] = "、".join(n[-1] for n in sorted(names))
                for pid, m, planned in MonthlyPlan.objects.filter(project_id__in=ids).values_list(
                    "project_id", "month", "planned"
                ):
                    extra[pid][f"m{m}"] = planned
            else:
                unit_names({p["responsible_unit_id"] for p in batch})
                if period_id is not None:
                    for pid, progress, problems in MonthlyReport.objects.filter(
                        project_id__in=ids, period_id=period_id, status=ReportStatus.ACCEPTED
                    ).values_list("project_id", "progress_text", "problems"):
                        extra[pid].update(progress=progress, problems=problems)
                    for pid, lamp in ProjectStatus.objects.filter(
                        project_id__in=ids, period_id=period_id
                    ).values_list("project_id", "lamp"):
                        extra[pid]["lamp"] = LAMP_TEXT.get(lamp, lamp)
            for p in batch:
                pid = p["id"]
                if p["category_id"] != current_cat:
                    current_cat = p["category_id"]
                    sections += 1
                    sums = cat_sums.get(current_cat, {"n": 0})
                    title = section_title(sections, categories.get(current_cat, ""), sums["n"])
                    _summary_row(sheet, r, cols, label_end, title, sums, f, total=False)
                    r += 1
                seq += 1
                unit = units.get(p["responsible_unit_id"])
                values = {
                    **p,
                    "seq": seq,
                    "years": f"{p['start_year']}-{p['end_year']}",
                    "stage": STAGE_TEXT.get(p["stage"], p["stage"]),
                    "unit": unit[-1] if unit else "",
                    "leaders": "、".join(led.get(pid, [])),
                    **extra.get(pid, {}),
                }
                if month is not None:
                    plan = p["annual_plan"]
                    done = ytd.get(pid)
                    values["ytd"] = done
                    values["ratio"] = float(done / plan) if done is not None and plan else None
                write_row(r, values)
                r += 1
    finally:
        wb.close()
    return grand["n"]


def _formats(wb: Any) -> dict[str, Any]:
    border = {"border": 1, "valign": "vcenter", "font_size": 10}
    return {
        "title": wb.add_format(
            {"bold": True, "font_size": 18, "align": "center", "valign": "vcenter"}
        ),
        "note": wb.add_format({"align": "right", "font_size": 10}),
        "head": wb.add_format(
            {**border, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#EEF1F6"}
        ),
        "text": wb.add_format(border),
        "wrap": wb.add_format({**border, "text_wrap": True}),
        "int": wb.add_format({**border, "align": "center"}),
        "money": wb.add_format({**border, "num_format": "#,##0.00"}),
        "percent": wb.add_format({**border, "num_format": "0.00%"}),
        "sum_text": wb.add_format({**border, "bold": True}),
        "sum_money": wb.add_format({**border, "bold": True, "num_format": "#,##0.00"}),
        "sum_percent": wb.add_format({**border, "bold": True, "num_format": "0.00%"}),
        "section": wb.add_format({**border, "bold": True, "bg_color": "#F7F9FC"}),
    }


def _summary_row(
    sheet: Any,
    r: int,
    cols: list[Col],
    label_end: int,
    label: str,
    sums: dict[str, Any],
    f: dict[str, Any],
    *,
    total: bool,
) -> None:
    """The 合计 row or a section row: the label across the leading columns, then the sums."""
    label_fmt = f["sum_text"] if total else f["section"]
    if label_end > 0:
        sheet.merge_range(r, 0, r, label_end, label, label_fmt)
    else:
        sheet.write_string(r, 0, label, label_fmt)
    for c in range(label_end + 1, len(cols)):
        col = cols[c]
        value = sums.get(col.key)
        if col.key == "ratio" and sums.get("annual_plan"):
            sheet.write_number(
                r, c, float(sums.get("ytd", ZERO) / sums["annual_plan"]), f["sum_percent"]
            )
        elif col.kind == "money" and value is not None:
            sheet.write_number(r, c, float(value), f["sum_money"])
        else:
            sheet.write_blank(r, c, None, label_fmt)


def _row_writer(sheet: Any, cols: list[Col], f: dict) -> Callable[[int, dict[str, Any]], None]:
    """``_data_row`` with the per-column decisions taken once: a cell of 240,000 costs
    what its write costs, not a chain of ifs."""
    blank_fmt = [f["money" if col.kind == "money" else "text"] for col in cols]
    plan = [(c, col.key, col.kind, f[col.kind], blank_fmt[c]) for c, col in enumerate(cols)]
    write_number, write_string, write_blank = (
        sheet.write_number,
        sheet.write_string,
        sheet.write_blank,
    )

    def write(r: int, values: dict[str, Any]) -> None:
        for c, key, kind, fmt, blank in plan:
            value = values.get(key)
            if value is None or value == "":
                write_blank(r, c, None, blank)
            elif kind in ("money", "percent"):
                write_number(r, c, float(value), fmt)
            elif kind == "int":
                write_number(r, c, value, fmt)
            else:
                write_string(r, c, str(value), fmt)

    return write


def _data_row(sheet: Any, r: int, cols: list[Col], values: dict[str, Any], f: dict) -> None:
    for c, col in enumerate(cols):
        value = values.get(col.key)
        if value is None or value == "":
            sheet.write_blank(r, c, None, f["money" if col.kind == "money" else "text"])
        elif col.kind == "money":
            sheet.write_number(r, c, float(value), f["money"])
        elif col.kind == "percent":
            sheet.write_number(r, c, float(value), f["percent"])
        elif col.kind == "int":
            sheet.write_number(r, c, value, f["int"])
        else:
            sheet.write_string(r, c, str(value), f[col.kind])


def export_projects(fh: IO[bytes], *, actor: Any, year: int, month: int | None = None) -> int:
    """The export service: check the right, write the table, audit the export.
    ``actor=None`` is the server console (the CLI without ``--user``)."""
    if actor is not None:
        require(actor, Perm.VIEW_PROJECTS)
    written = write_projects(fh, user=actor, year=year, month=month)
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        username="console",
        object_type="projects.project",
        object_repr=title_for(year, month),
        after={"year": year, "month": month, "rows": written},
    )
    return written
