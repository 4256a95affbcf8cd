"""Importing the monthly report sheet (月报表导入): a unit's reporter fills the prefilled
sheet offline (or the county's own layout) and uploads it.

All or nothing: every row is checked, then the reports are written by
``services_reports_batch.reports_save_many`` — the rules of the report page
(``report_save``, and ``report_submit`` when asked) checked for every row against state
loaded for all rows at once, then bulk writes and one audit entry a change, in one
transaction; any bad row — found by the sheet checks or refused by the report rules —
writes nothing and the result lists every bad row (sheet, row, column, value, reason). A
dry run stops after the sheet checks and writes nothing; a refusal only the report rules
can find (a report changed by someone meanwhile) shows at the import, which then writes
nothing either. bench/import_reports.py measures the rows per second.

Decisions, in the office's words:
- Only the open period (填报期, the previous calendar month) is imported; a locked period
  is refused. There is no import for earlier months: a report of a past or locked period
  changes only by the office's correction of that one report (更正), with its reason.
- Writing reports is the unit's: the reporter imports their own unit's projects. A file
  holding any project of another unit is refused whole, listing those rows. The office may
  check (dry run) any unit's sheet, and download any unit's prefilled sheet, but does not
  write a unit's reports.
- Rows whose report cells are all empty are left alone (the prefilled sheet imports back
  unchanged). 需协调事项 filled in marks the report for coordination.
- 节点完成情况 (milestones reached), when the sheet has the column (the prefilled sheet has it,
  beside the milestones still ahead with their planned dates, which are not read back):
  "开工 2026-03-15；主体封顶 2026年10月8日" — each milestone by its
  name as on the project (full/half width and spaces ignored), with the date reached, under
  the report page's date rules. A filled cell is the report's milestones reached; an empty
  one leaves them as they are.
- 1–N月完成投资, when given, must equal the previous month's running total plus this month
  (``report_content.earlier_totals``); where the project has no earlier report of the year,
  it is taken as typed (luoshi started mid-year), as on the report page."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.core.errors import DomainError, NotPermitted
from luoshi.core.money import MoneyParseError, format_money, parse_money
from luoshi.core.permissions import Perm, has_perm
from luoshi.projects.excel.reader import SheetRow, SheetTable, WorkbookRefused, cell_text
from luoshi.projects.excel.reports import READ_FIELDS, previous_ytd, read_report_tables
from luoshi.projects.excel.rows import Issue
from luoshi.projects.models import (
    Milestone,
    MonthlyReport,
    Project,
    ReportingPeriod,
    ReportMilestone,
)
from luoshi.projects.report_content import MAX_MONEY, MAX_TEXT, _milestone_dates
from luoshi.projects.services_import import ImportResult
from luoshi.projects.services_reports import EDITABLE, open_period_month
from luoshi.projects.services_reports_batch import BatchRefused, SaveRow, reports_save_many
from luoshi.projects.text import name_key

_CHUNK = 900
_EMPTY = ("—", "-", "–", "无", "/")
# One milestone reached: its name, then the date (2026-10-15, 2026/10/15, 2026.10.15,
# 2026年10月15日, or 10月15日 in the year imported), optionally after a colon or in brackets.
_MILESTONE = re.compile(
    r"^(?P<name>.+?)[\s:：]*[（(]?\s*"
    r"(?:(?P<y>\d{4})\s*[-/.年]\s*)?(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"\s*[)）]?\s*(?:完成|达到|已完成)?$"
)
_SEPARATORS = re.compile(r"[；;\n\r、，,]+")
MONEY_FIELDS = ("investment_month", "investment_ytd")
TEXT_FIELDS = ("progress_text", "problems", "help_needed")


def labels() -> dict[str, str]:
    return {
        "investment_month": _("investment this month"),
        "investment_ytd": _("investment year to date"),
        "progress_text": _("progress"),
        "problems": _("problems"),
        "help_needed": _("help needed"),
        "milestones": _("milestones reached"),
        "name": _("name"),
        "code": _("code"),
    }


@dataclass
class ReportChange:
    action: str  # create | update | unchanged
    sheet: str
    row: int
    code: str
    name: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass(kw_only=True)
class ReportImportResult(ImportResult):
    """An ``ImportResult`` of report rows: its changes are ``ReportChange``s."""

    month: int
    submit: bool = False
    skipped: int = 0  # rows left empty
    submitted: int = 0


@dataclass
class _Row:
    sheet: str
    number: int
    name: str
    code: str
    values: dict[str, Any]
    project: dict | None = None


class _Rollback(Exception):
    """Raised inside the transaction to undo a dry run or a file with errors."""


def _issue(table: SheetTable, row: SheetRow, f: str, value: Any, message: str) -> Issue:
    col = table.header.columns.get(f)
    return Issue(
        table.name,
        row.number,
        col.letter if col else "",
        col.header if col else "",
        cell_text(value),
        message,
    )


def _row_issue(row: _Row, message: str, value: str = "") -> Issue:
    return Issue(row.sheet, row.number, "", "", value or row.name or row.code, message)


def _read_rows(table: SheetTable, result: ReportImportResult) -> list[_Row]:
    names = labels()
    rows: list[_Row] = []
    has_any = any(f in table.header.columns for f in READ_FIELDS)
    if not has_any:
        result.warnings.append(
            Issue(table.name, None, "", "", "", _("Sheet skipped: no report columns recognised."))
        )
        return rows
    if "investment_month" not in table.header.columns:
        result.errors.append(
            Issue(
                table.name,
                table.header.last_row + 1,
                "",
                "",
                "",
                _("The sheet has no 本月完成投资 (investment this month) column."),
            )
        )
        return rows
    for row in table.rows:
        if row.kind != "data":
            continue
        name = cell_text(table.value(row, "name"))
        code = cell_text(table.value(row, "code"))
        values: dict[str, Any] = {}
        bad = False
        for f in MONEY_FIELDS:
            raw = table.value(row, f)
            if raw is None:
                continue
            try:
                amount = parse_money(raw)
            except MoneyParseError:
                result.errors.append(
                    _issue(
                        table,
                        row,
                        f,
                        raw,
                        _("%(label)s must be a number in 10k yuan, such as 120.50.")
                        % {"label": names[f]},
                    )
                )
                bad = True
                continue
            if amount is None:
                continue
            if amount < 0:
                result.errors.append(
                    _issue(
                        table, row, f, raw, _("%(label)s cannot be negative.") % {"label": names[f]}
                    )
                )
                bad = True
            elif amount > MAX_MONEY:
                result.errors.append(
                    _issue(
                        table,
                        row,
                        f,
                        raw,
                        _("%(label)s is too large for 10k yuan.") % {"label": names[f]},
                    )
                )
                bad = True
            values[f] = amount
        for f in TEXT_FIELDS:
            text = cell_text(table.value(row, f))
            if text in _EMPTY:
                text = ""
            if len(text) > MAX_TEXT:
                result.errors.append(
                    _issue(
                        table,
                        row,
                        f,
                        text[:40] + "…",
                        _("Write at most %(n)s characters here.") % {"n": MAX_TEXT},
                    )
                )
                bad = True
            if text:
                values[f] = text
        if "milestones" in table.header.columns:
            raw = table.value(row, "milestones")
            text = cell_text(raw)
            if text and text not in _EMPTY:
                try:
                    values["_milestones_raw"] = parse_milestones(text, result.year)
                    values["_milestones_cell"] = _issue(table, row, "milestones", raw, "")
                except DomainError as exc:
                    result.errors.append(_issue(table, row, "milestones", raw, str(exc.message)))
                    bad = True
        if not values and not bad:
            result.skipped += 1  # left empty: not reported in this file
            continue
        if not name and not code:
            result.errors.append(
                _issue(table, row, "name", None, _("The row has figures but no project name."))
            )
            continue
        if "investment_month" not in values and not bad:
            result.errors.append(
                _issue(
                    table,
                    row,
                    "investment_month",
                    None,
                    _("Enter the investment this month (0 if none)."),
                )
            )
            bad = True
        if not bad:
            rows.append(_Row(table.name, row.number, name, code, values))
        else:
            rows.append(_Row(table.name, row.number, name, code, {"_bad": True}))
    return rows


def _chunks(items: list, size: int = _CHUNK):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _match(rows: list[_Row], year: int, result: ReportImportResult) -> None:
    """Each row's project of ``year``, by code, else by normalised name."""
    codes = sorted({r.code for r in rows if r.code})
    keys = sorted({name_key(r.name) for r in rows if r.name})
    fields = [
        "id",
        "code",
        "name",
        "name_key",
        "start_year",
        "responsible_unit_id",
        "responsible_unit__name",
    ]
    by_code: dict[str, dict] = {}
    by_key: dict[str, list[dict]] = defaultdict(list)
    seen: set[int] = set()
    for chunk in _chunks(codes):
        for p in Project.objects.filter(year=year, code__in=chunk).values(*fields):
            by_code[p["code"]] = p
    for chunk in _chunks(keys):
        for p in Project.objects.filter(year=year, name_key__in=chunk).values(*fields):
            if p["id"] not in seen:
                seen.add(p["id"])
                by_key[p["name_key"]].append(p)
    first_row: dict[int, _Row] = {}
    for row in rows:
        project = by_code.get(row.code) if row.code else None
        if project is None:
            found = by_key.get(name_key(row.name), []) if row.name else []
            if len(found) > 1:
                result.errors.append(
                    _row_issue(
                        row,
                        _("Several projects of %(year)s have this name; give the project code.")
                        % {"year": year},
                    )
                )
                continue
            project = found[0] if found else None
        if project is None:
            if row.code:
                message = _("No project of %(year)s has the code %(code)s or this name.") % {
                    "year": year,
                    "code": row.code,
                }
            else:
                message = _("No project of %(year)s has this name.") % {"year": year}
            result.errors.append(_row_issue(row, message))
            continue
        if project["id"] in first_row:
            result.errors.append(
                _row_issue(
                    row,
                    _("This project is also on row %(row)s; report it once.")
                    % {"row": first_row[project["id"]].number},
                )
            )
            continue
        first_row[project["id"]] = row
        row.project = project


def _existing(project_ids: list[int], period: ReportingPeriod | None) -> dict[int, MonthlyReport]:
    if period is None:
        return {}
    found: dict[int, MonthlyReport] = {}
    for chunk in _chunks(project_ids):
        for report in MonthlyReport.objects.filter(period=period, project_id__in=chunk).only(
            "id",
            "project_id",
            "status",
            "version",
            "investment_month",
            "investment_ytd",
            "progress_text",
            "problems",
            "help_needed",
            "needs_coordination",
            "physical_progress",
        ):
            found[report.project_id] = report
    return found


def _show(f: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return format_money(value)
    return str(value)


def import_reports(
    *,
    actor: Any,
    file: str | Path,
    year: int,
    month: int,
    dry_run: bool,
    submit: bool = False,
) -> ReportImportResult:
    """Check the monthly report sheet at ``file`` for ``year``-``month``; unless ``dry_run``
    or any error, save (and with ``submit``, submit) every filled report in one
    transaction through the report services."""
    is_office = has_perm(actor, Perm.ACCEPT_REPORTS)
    is_reporter = has_perm(actor, Perm.FILL_REPORTS)
    if not (is_office or is_reporter):
        raise NotPermitted(_("You may not import monthly reports."))
    result = ReportImportResult(year=year, month=month, dry_run=dry_run, submit=submit)

    def refuse(message: str) -> ReportImportResult:
        result.errors.append(Issue("", None, "", "", "", message))
        return result

    if not is_reporter and not dry_run:
        return refuse(
            _(
                "Monthly reports are imported by the unit's reporter. The office may check a "
                "sheet (dry run) and corrects single reports on the report page."
            )
        )
    open_year, open_month = open_period_month()
    if (year, month) != (open_year, open_month):
        return refuse(
            _("Reports are open for %(open)s only; %(period)s cannot be imported.")
            % {"open": f"{open_year}-{open_month:02d}", "period": f"{year}-{month:02d}"}
        )
    period = ReportingPeriod.objects.filter(year=year, month=month).first()
    if period is not None and period.is_locked:
        return refuse(
            _("The reporting period %(period)s is locked; its reports cannot be imported.")
            % {"period": f"{year}-{month:02d}"}
        )
    try:
        read = read_report_tables(file, month=month)
    except WorkbookRefused as exc:
        return refuse(str(exc.message))
    for name in read.skipped_sheets:
        result.warnings.append(
            Issue(name, None, "", "", "", _("Sheet skipped: no header row recognised."))
        )
    rows: list[_Row] = []
    for table in read.tables:
        rows.extend(_read_rows(table, result))
    _match(rows, year, result)
    matched = [r for r in rows if r.project is not None]
    if is_reporter and not is_office:
        for row in matched:
            if row.project["responsible_unit_id"] != actor.unit_id:
                result.errors.append(
                    _row_issue(
                        row,
                        _(
                            "This project belongs to %(unit)s; you may only import your own "
                            "unit's projects."
                        )
                        % {"unit": row.project["responsible_unit__name"]},
                    )
                )
    good = [r for r in matched if "_bad" not in r.values]
    if not rows and not result.skipped and not result.errors:
        return refuse(_("The file has no project rows."))
    ids = [r.project["id"] for r in good]
    previous = previous_ytd(ids, year, month)
    existing = _existing(ids, period)
    reached = _reached([r.pk for r in existing.values()])
    milestones = _project_milestones(
        [r.project["id"] for r in good if "_milestones_raw" in r.values]
    )
    names = labels()
    for row in good:
        v, pid = row.values, row.project["id"]
        amount = v["investment_month"]
        before = previous.get(pid)
        expected = before + amount if before is not None else (amount if month == 1 else None)
        ytd = v.get("investment_ytd")
        if ytd is not None and expected is not None and ytd != expected:
            result.errors.append(
                _row_issue(
                    row,
                    _(
                        "Investment year to date %(ytd)s does not match the previous months' "
                        "%(before)s plus this month's %(month)s (= %(expected)s)."
                    )
                    % {
                        "ytd": format_money(ytd),
                        "before": format_money(before or Decimal("0")),
                        "month": format_money(amount),
                        "expected": format_money(expected),
                    },
                    format_money(ytd),
                )
            )
            continue
        if ytd is not None and ytd < amount:
            result.errors.append(
                _row_issue(
                    row,
                    _("Investment year to date (%(ytd)s) cannot be below this month's (%(month)s).")
                    % {"ytd": format_money(ytd), "month": format_money(amount)},
                    format_money(ytd),
                )
            )
            continue
        v["_ytd"] = expected if expected is not None else ytd
        current = existing.get(pid)
        if current is not None:
            v["_reached"] = reached.get(current.pk, {})
        if "_milestones_raw" in v:
            try:
                v["_milestones"] = _resolve_milestones(
                    row.project, v["_milestones_raw"], milestones.get(pid, [])
                )
            except DomainError as exc:
                cell = v["_milestones_cell"]
                result.errors.append(
                    Issue(
                        cell.sheet, cell.row, cell.column, cell.header, cell.value, str(exc.message)
                    )
                )
                continue
        ms_change = _milestones_change(v, milestones.get(pid, []), names["milestones"])
        after = {
            "investment_month": amount,
            "investment_ytd": v["_ytd"],
            **{f: v.get(f, "") for f in TEXT_FIELDS},
        }
        if current is None:
            fields = [(names[f], "", _show(f, a)) for f, a in after.items() if a not in ("", None)]
            fields += [(label, "", after) for label, _before, after in ms_change]
            result.changes.append(
                ReportChange(
                    "create",
                    row.sheet,
                    row.number,
                    row.project["code"],
                    row.project["name"],
                    fields,
                )
            )
            continue
        fields = [
            (names[f], _show(f, getattr(current, f)), _show(f, a))
            for f, a in after.items()
            if a is not None and a != getattr(current, f)
        ]
        fields += ms_change
        v["_report"] = current
        if fields and current.status not in EDITABLE:
            result.errors.append(
                _row_issue(
                    row,
                    _("The report of this project is %(status)s; it cannot be changed by import.")
                    % {"status": current.get_status_display()},
                )
            )
            continue
        result.changes.append(
            ReportChange(
                "update" if fields else "unchanged",
                row.sheet,
                row.number,
                row.project["code"],
                row.project["name"],
                fields,
            )
        )
    if result.errors or not is_reporter or dry_run:
        return result
    try:
        with transaction.atomic():
            _write(actor, year, month, good, result)
            if result.errors:
                raise _Rollback
    except _Rollback:
        return result
    result.applied = True
    return result


def _write(actor: Any, year: int, month: int, rows: list[_Row], result: ReportImportResult) -> None:
    """Save every changed row (and with ``submit``, submit every row) through
    ``reports_save_many``: the rules of the report page, checked for all rows before any
    is written; every refusal is listed against its row."""
    from luoshi.projects.services_reports import reporting_period

    period = reporting_period(year=year, month=month)
    by_row = {(c.sheet, c.row): c for c in result.changes}
    todo: list[tuple[_Row, dict[str, Any] | None]] = []
    for row in rows:
        change = by_row.get((row.sheet, row.number))
        if change is None:
            continue
        current = row.values.get("_report")
        if change.action == "unchanged":
            if result.submit and current is not None and current.status in EDITABLE:
                todo.append((row, None))
            continue
        v = row.values
        data = {
            "investment_month": v["investment_month"],
            "investment_ytd": v["_ytd"],
            "progress_text": v.get("progress_text", ""),
            "problems": v.get("problems", ""),
            "help_needed": v.get("help_needed", ""),
            "needs_coordination": bool(v.get("help_needed")),
            "milestones": {},
        }
        if current is not None:  # the import does not touch what the sheet does not hold
            data["physical_progress"] = current.physical_progress
        todo.append((row, data))
    for row, data in todo:
        if data is None:
            continue
        # A filled 节点完成情况 cell is the report's milestones reached; an empty one (or
        # no such column) leaves them as they are.
        if "_milestones" in row.values:
            data["milestones"] = row.values["_milestones"]
        elif "_reached" in row.values:
            data["milestones"] = row.values["_reached"]
    projects = {
        p.pk: p
        for chunk in _chunks([row.project["id"] for row, _d in todo])
        # What the report rules read of a project; the rest of its row is not needed.
        for p in Project.objects.filter(pk__in=chunk)
        .order_by()
        .only("id", "year", "code", "start_year", "responsible_unit_id")
    }
    save_rows = [
        SaveRow(
            project=projects[row.project["id"]],
            data=data,
            version=row.values["_report"].version if "_report" in row.values else None,
        )
        for row, data in todo
    ]
    try:
        reports_save_many(actor=actor, period=period, rows=save_rows, submit=result.submit)
    except BatchRefused as exc:
        for i, error in sorted(exc.errors.items()):
            result.errors.append(_row_issue(todo[i][0], str(error.message)))
        return
    except DomainError as exc:
        result.errors.append(Issue("", None, "", "", "", str(exc.message)))
        return
    if result.submit:
        result.submitted = len(save_rows)


def _reached(report_ids: list[int]) -> dict[int, dict[int, Any]]:
    """Report id → its milestones reached (milestone id → date), kept by a row whose
    sheet has no 节点完成情况 column."""
    found: dict[int, dict[int, Any]] = defaultdict(dict)
    for chunk in _chunks(report_ids):
        for rid, mid, day in ReportMilestone.objects.filter(report_id__in=chunk).values_list(
            "report_id", "milestone_id", "reached_on"
        ):
            found[rid][mid] = day
    return found


def parse_milestones(text: str, year: int) -> list[tuple[str, datetime.date]]:
    """The 节点完成情况 cell: milestones reached, each a name and a date, separated by
    ；/、/，/line breaks — "开工 2026-03-15；主体封顶 2026年10月8日". Raises ``DomainError``
    saying which part is not understood."""
    found: list[tuple[str, datetime.date]] = []
    for part in _SEPARATORS.split(text):
        part = part.strip()
        if not part or part in _EMPTY:
            continue
        m = _MILESTONE.match(part)
        name = m.group("name").strip() if m else ""
        if not m or not name:
            raise DomainError(
                _(
                    "“%(part)s” is not a milestone and its date: write the milestone's name "
                    "and the date reached, such as 开工 2026-03-15; separate several with ；."
                )
                % {"part": part[:40]}
            )
        try:
            day = datetime.date(int(m.group("y") or year), int(m.group("m")), int(m.group("d")))
        except ValueError:
            raise DomainError(
                _("“%(part)s”: the date is not a real day.") % {"part": part[:40]}
            ) from None
        found.append((name, day))
    return found


def _project_milestones(project_ids: list[int]) -> dict[int, list[Milestone]]:
    found: dict[int, list[Milestone]] = defaultdict(list)
    for chunk in _chunks(project_ids):
        for m in Milestone.objects.filter(project_id__in=chunk).order_by(
            "project", "order", "planned_on"
        ):
            found[m.project_id].append(m)
    return found


def _resolve_milestones(
    project: dict, entries: list[tuple[str, datetime.date]], known: list[Milestone]
) -> dict[int, datetime.date]:
    """Milestone names → the project's milestones (by normalised name: full/half width,
    spaces), then the date rules of the report page (not in the future, not before the
    start year)."""
    by_key: dict[str, list[Milestone]] = defaultdict(list)
    for m in known:
        by_key[name_key(m.name)].append(m)
    dates: dict[int, datetime.date] = {}
    for name, day in entries:
        found = by_key.get(name_key(name), [])
        if not found:
            if known:
                raise DomainError(
                    _(
                        "The project has no milestone called “%(name)s”; its milestones are: "
                        "%(names)s."
                    )
                    % {"name": name, "names": "、".join(m.name for m in known)}
                )
            raise DomainError(
                _("The project has no milestones; “%(name)s” cannot be reported.") % {"name": name}
            )
        if len(found) > 1:
            raise DomainError(
                _(
                    "The project has several milestones called “%(name)s”; report it on the report page."
                )
                % {"name": name}
            )
        if found[0].pk in dates:
            raise DomainError(_("“%(name)s” is given twice.") % {"name": name})
        dates[found[0].pk] = day
    _milestone_dates(
        project=SimpleNamespace(start_year=project["start_year"]), raw=dates, milestones=known
    )
    return dates


def _milestones_change(
    values: dict[str, Any], known: list[Milestone], label: str
) -> list[tuple[str, str, str]]:
    """The preview line of the milestones reached, when the row changes them."""
    if "_milestones" not in values:
        return []
    before, after = values.get("_reached", {}), values["_milestones"]
    if before == after:
        return []
    names = {m.pk: m.name for m in known}

    def show(dates: dict[int, Any]) -> str:
        return "；".join(f"{names.get(k, k)} {d.isoformat()}" for k, d in dates.items()) or "—"

    return [(label, show(before), show(after))]
