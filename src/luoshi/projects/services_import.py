"""Importing the year's key-project list from the office's Excel table (重点项目表导入).

All or nothing: every row is validated first; a file with any bad row writes nothing and the
result lists every bad cell (sheet, row, column, value, reason). A dry run stops after the
validation and shows what would be created, updated or left unchanged. Rows match existing
projects of the year by code, else by normalised name."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.core.audit import audit_record
from luoshi.core.choices import AuditAction
from luoshi.core.clock import now
from luoshi.core.money import MoneyParseError, format_money, parse_money
from luoshi.core.permissions import Perm, require
from luoshi.orgs.models import Leader, Unit
from luoshi.projects.choices import MilestoneKind, Stage
from luoshi.projects.excel import layout
from luoshi.projects.excel.reader import (
    SheetRow,
    SheetTable,
    WorkbookRefused,
    cell_text,
    read_tables,
)
from luoshi.projects.models import Category, Milestone, MonthlyPlan, Project, ReportingPeriod
from luoshi.projects.text import name_key, nfkc, pinyin_initials

MAX_MONEY = Decimal("999999999999.99")
AUDIT_TEXT_LIMIT = 300  # long texts are cut in the audit trail; the project keeps them whole
_CHUNK = 900  # ids per IN (…) list, well under SQLite's variable limit

SCALAR_FIELDS = (
    "code",
    "name",
    "category",
    "stage",
    "content",
    "location",
    "total_investment",
    "annual_plan",
    "start_year",
    "end_year",
    "responsible_unit",
)
MILESTONE_FIELDS = {"start_date": MilestoneKind.START, "completion_date": MilestoneKind.COMPLETION}


@dataclass(frozen=True)
class Issue:
    """One bad (or doubtful) cell or row: where it is, what it holds, what is wrong."""

    sheet: str
    row: int | None
    column: str
    header: str
    value: str
    message: str


@dataclass
class Change:
    """What the import does to one project: create, update (with the changed fields as
    label, before, after) or nothing."""

    action: str  # create | update | unchanged
    sheet: str
    row: int
    code: str
    name: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class ImportResult:
    year: int
    dry_run: bool
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def of(self, action: str) -> list[Change]:
        return [c for c in self.changes if c.action == action]

    @property
    def created(self) -> list[Change]:
        return self.of("create")

    @property
    def updated(self) -> list[Change]:
        return self.of("update")

    @property
    def unchanged(self) -> list[Change]:
        return self.of("unchanged")


def _labels() -> dict[str, str]:
    return {
        "code": _("code"),
        "name": _("name"),
        "category": _("category"),
        "stage": _("stage"),
        "content": _("construction content and scale"),
        "location": _("location"),
        "total_investment": _("total investment (10k yuan)"),
        "annual_plan": _("annual planned investment (10k yuan)"),
        "start_year": _("start year"),
        "end_year": _("end year"),
        "responsible_unit": _("responsible unit"),
        "cooperating_units": _("cooperating units"),
        "leaders": _("responsible leaders"),
        "months": _("monthly plan"),
        "start_date": _("planned start date"),
        "completion_date": _("planned completion date"),
    }


# ---------------------------------------------------------------------------------------
# Look-ups by name


class _Names:
    """Name → id look-ups built once per import (units by full or short name, leaders by
    name, categories by name, name without 项目, or code). ``None`` marks an ambiguous key."""

    def __init__(self) -> None:
        self.units: dict[str, int | None] = {}
        self.unit_names: dict[int, str] = {}
        for u in Unit.objects.filter(is_active=True).values("id", "name", "short_name"):
            self.unit_names[u["id"]] = u["name"]
            for key in {name_key(u["name"]), name_key(u["short_name"])} - {""}:
                self.units[key] = (
                    None if key in self.units and self.units[key] != u["id"] else u["id"]
                )
        self.leaders: dict[str, int | None] = {}
        self.leader_names: dict[int, str] = {}
        for ld in Leader.objects.filter(is_active=True).values("id", "name"):
            self.leader_names[ld["id"]] = ld["name"]
            key = name_key(ld["name"])
            self.leaders[key] = None if key in self.leaders else ld["id"]
        self.categories: dict[str, int] = {}
        self.category_names: dict[int, str] = {}
        for c in Category.objects.values("id", "code", "name"):
            self.category_names[c["id"]] = c["name"]
            key = name_key(c["name"])
            for k in (key, key.removesuffix("项目"), name_key(c["code"])):
                self.categories.setdefault(k, c["id"])

    def category(self, text: str) -> int | None:
        key = name_key(text)
        for k in (
            key,
            key.removesuffix("项目"),
            key.removesuffix("类"),
            key.removesuffix("类项目"),
        ):
            if k in self.categories:
                return self.categories[k]
        return None

    def known_categories(self) -> str:
        return "、".join(self.category_names.values()) or _("(none defined yet)")


# ---------------------------------------------------------------------------------------
# One row


@dataclass
class _Row:
    sheet: str
    number: int
    values: dict[str, Any]  # field → clean value, only for the columns the sheet has
    months: dict[int, Decimal] | None
    project_id: int | None = None


class _RowReader:
    """Turns one sheet row into clean values, collecting an ``Issue`` per bad cell."""

    def __init__(self, table: SheetTable, row: SheetRow, names: _Names, year: int) -> None:
        self.table, self.row, self.names, self.year = table, row, names, year
        self.errors: list[Issue] = []

    def issue(self, fieldname: str | None, message: str, raw: Any = None) -> Issue:
        col = self.table.header.columns.get(fieldname) if fieldname else None
        if fieldname and fieldname.startswith("month:"):
            col = self.table.header.month_columns.get(int(fieldname[6:]))
        if col is not None and raw is None and col.index < len(self.row.values):
            raw = self.row.values[col.index]
        return Issue(
            self.table.name,
            self.row.number,
            col.letter if col else "",
            col.header if col else "",
            cell_text(raw),
            message,
        )

    def error(self, fieldname: str | None, message: str, raw: Any = None) -> None:
        self.errors.append(self.issue(fieldname, message, raw))

    def has(self, fieldname: str) -> bool:
        return fieldname in self.table.header.columns

    def raw(self, fieldname: str) -> Any:
        return self.table.value(self.row, fieldname)

    def text(self, fieldname: str, max_length: int | None = None) -> str:
        value = cell_text(self.raw(fieldname))
        if max_length and len(value) > max_length:
            self.error(
                fieldname,
                _("Too long: %(n)s characters, at most %(max)s.")
                % {"n": len(value), "max": max_length},
            )
        return value

    def money(self, fieldname: str, raw: Any, *, required: bool = False) -> Decimal | None:
        try:
            value = parse_money(raw)
        except MoneyParseError:
            self.error(fieldname, _("Not an amount in 10k yuan."), raw)
            return None
        if value is None:
            if required:
                self.error(fieldname, _("An amount is required here."), raw)
            return None
        if value < 0:
            self.error(fieldname, _("Investment cannot be negative."), raw)
            return None
        if value > MAX_MONEY:
            self.error(fieldname, _("The amount is too large."), raw)
            return None
        return value

    def year_of(self, fieldname: str) -> list[int]:
        raw = self.raw(fieldname)
        if raw is None:
            return []
        years = layout.parse_years(raw)
        if not years or len(years) > 2 or any(y < 1949 or y > 2100 for y in years):
            self.error(fieldname, _("Cannot read a year here (write e.g. 2024 or 2024-2026)."))
            return []
        return years

    def date_of(self, fieldname: str) -> dt.date | None:
        raw = self.raw(fieldname)
        if raw is None:
            return None
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        match = re.search(r"(\d{4})\D+(\d{1,2})(?:\D+(\d{1,2}))?", nfkc(raw))
        try:
            if not match:
                raise ValueError
            y, m = int(match.group(1)), int(match.group(2))
            d = int(match.group(3)) if match.group(3) else calendar.monthrange(y, m)[1]
            return dt.date(y, m, d)
        except ValueError:
            self.error(
                fieldname, _("Cannot read a date here (write e.g. 2026-03-31 or 2026年3月).")
            )
            return None

    def units(self, fieldname: str) -> list[int] | None:
        names = layout.split_names(self.raw(fieldname) or "")
        ids, unknown, ambiguous = [], [], []
        for n in names:
            key = name_key(n)
            if key not in self.names.units:
                unknown.append(n)
            elif self.names.units[key] is None:
                ambiguous.append(n)
            elif self.names.units[key] not in ids:
                ids.append(self.names.units[key])
        if unknown:
            self.error(
                fieldname,
                _(
                    "Unknown unit: %(names)s. Write the unit's full or short name as on the unit list."
                )
                % {"names": "、".join(unknown)},
            )
        if ambiguous:
            self.error(
                fieldname,
                _("Several units have this name: %(names)s. Write the full name.")
                % {"names": "、".join(ambiguous)},
            )
        return None if unknown or ambiguous else ids

    def leaders(self) -> list[int] | None:
        names = layout.split_names(self.raw("leaders") or "")
        ids, unknown, ambiguous = [], [], []
        for n in names:
            key = name_key(n)
            if key not in self.names.leaders:
                unknown.append(n)
            elif self.names.leaders[key] is None:
                ambiguous.append(n)
            elif self.names.leaders[key] not in ids:
                ids.append(self.names.leaders[key])
        if unknown:
            self.error(
                "leaders",
                _("Unknown leader: %(names)s. Leaders are matched by name on the leader list.")
                % {"names": "、".join(unknown)},
            )
        if ambiguous:
            self.error(
                "leaders",
                _(
                    "Several active leaders are called %(names)s; set this project's leaders on its page."
                )
                % {"names": "、".join(ambiguous)},
            )
        return None if unknown or ambiguous else ids

    def read(self, context: dict[str, Any]) -> _Row:
        v: dict[str, Any] = {}
        name = self.text("name", 200)
        if not name:
            self.error("name", _("The project name is missing."))
        v["name"] = name
        if self.has("code"):
            code = self.text("code", 32)
            if code:
                v["code"] = code
        for f, limit in (("content", None), ("location", 200)):
            if self.has(f):
                v[f] = self.text(f, limit)
        for f in ("total_investment", "annual_plan"):
            if self.has(f):
                amount = self.money(f, self.raw(f), required=f == "total_investment")
                v[f] = amount if amount is not None or f == "total_investment" else Decimal("0.00")
        # Category: the column beats the section row above.
        if self.has("category") and self.raw("category") is not None:
            text = self.text("category")
            cat = self.names.category(text)
            if cat is None:
                self.error(
                    "category",
                    _("Unknown category “%(name)s”. Known categories: %(known)s.")
                    % {"name": text, "known": self.names.known_categories()},
                )
            v["category"] = cat
        elif context.get("category") is not None:
            v["category"] = context["category"]
        # Stage: the column, else a stage section row ("（一）新开工项目").
        if self.has("stage") and self.raw("stage") is not None:
            stage = layout.stage_of(self.raw("stage"))
            if stage is None:
                self.error(
                    "stage",
                    _("Unknown stage. Write one of: %(stages)s.")
                    % {"stages": "谋划、前期、新开工、续建、竣工"},
                )
            v["stage"] = stage
        elif context.get("stage"):
            v["stage"] = context["stage"]
        # Years: one "2024-2026" column, or a start and an end column.
        start = end = None
        if self.has("years"):
            years = self.year_of("years")
            if years:
                start, end = years[0], years[-1]
        if self.has("start_year"):
            years = self.year_of("start_year")
            start = years[0] if years else start
        if self.has("end_year"):
            years = self.year_of("end_year")
            end = years[-1] if years else end
        if start is not None and end is not None and start > end:
            where = "years" if self.has("years") else "end_year"
            self.error(
                where,
                _("The start year %(start)s is after the end year %(end)s.")
                % {"start": start, "end": end},
            )
        if start is not None:
            v["start_year"] = start
        if end is not None:
            v["end_year"] = end
        if self.has("unit"):
            if self.raw("unit") is None:
                self.error("unit", _("The responsible unit is missing."))
            else:
                ids = self.units("unit")
                if ids:
                    v["responsible_unit"] = ids[0]
                    # "发改局、城关镇": the first leads, the others cooperate.
                    if len(ids) > 1:
                        v["cooperating_units"] = set(ids[1:])
        if self.has("cooperating"):
            ids = self.units("cooperating")
            if ids is not None:
                lead = v.get("responsible_unit")
                v["cooperating_units"] = (v.get("cooperating_units") or set()) | (set(ids) - {lead})
        if self.has("leaders"):
            ids = self.leaders()
            if ids is not None:
                v["leaders"] = set(ids)
        for f in MILESTONE_FIELDS:
            if self.has(f):
                day = self.date_of(f)
                if day is not None:
                    v[f] = day
        months = None
        month_cols = self.table.header.month_columns
        if month_cols:
            amounts = {}
            for m, col in month_cols.items():
                raw = self.row.values[col.index] if col.index < len(self.row.values) else None
                amount = self.money(f"month:{m}", None if cell_text(raw) == "" else raw)
                if amount is not None:
                    amounts[m] = amount
            if amounts:
                months = {m: amounts.get(m, Decimal("0.00")) for m in range(1, 13)}
        return _Row(self.table.name, self.row.number, v, months)


# ---------------------------------------------------------------------------------------
# Sections, totals, counts


class _SheetWalk:
    """Walks one sheet: section rows set the category (or stage) for the rows below them;
    合计/小计 rows and announced counts are checked against the rows (warnings only)."""

    def __init__(self, table: SheetTable, names: _Names, year: int, result: ImportResult) -> None:
        self.table, self.names, self.year, self.result = table, names, year, result
        self.context: dict[int, dict[str, Any]] = {}
        self.open_sections: list[tuple[SheetRow, int]] = []  # (row, data rows so far)
        self.rows: list[_Row] = []

    def warn(self, row: SheetRow, message: str, value: str = "") -> None:
        self.result.warnings.append(Issue(self.table.name, row.number, "", "", value, message))

    def _close_sections(self, level: int) -> None:
        while self.open_sections and self.open_sections[-1][0].section.level >= level:
            row, seen = self.open_sections.pop()
            expected = row.section.count
            if expected is not None and expected != seen:
                self.warn(
                    row,
                    _("The section announces %(expected)s projects but %(seen)s rows follow it.")
                    % {"expected": expected, "seen": seen},
                    row.section.title,
                )

    def section(self, row: SheetRow) -> None:
        sec = row.section
        self._close_sections(sec.level)
        for lvl in [k for k in self.context if k >= sec.level]:
            del self.context[lvl]
        stage = layout.stage_of(sec.title)
        if stage:
            self.context[sec.level] = {"stage": stage}
        else:
            cat = self.names.category(sec.title)
            if cat is None:
                self.result.errors.append(
                    Issue(
                        self.table.name,
                        row.number,
                        "",
                        "",
                        sec.title,
                        _(
                            "Unknown category “%(name)s” in a section row. Known categories: %(known)s."
                        )
                        % {"name": sec.title, "known": self.names.known_categories()},
                    )
                )
                self.context[sec.level] = {"category": None, "bad": True}
            else:
                self.context[sec.level] = {"category": cat}
        self.open_sections.append((row, 0))

    def current(self) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for lvl in sorted(self.context):
            for k, val in self.context[lvl].items():
                if k == "category" and val is None and "category" in merged:
                    continue
                merged[k] = val
        return merged

    def data(self, row: SheetRow) -> None:
        reader = _RowReader(self.table, row, self.names, self.year)
        context = self.current()
        parsed = reader.read(context)
        if context.get("bad") and "category" not in parsed.values:
            parsed.values["category_bad"] = True
        self.result.errors.extend(reader.errors)
        self.rows.append(parsed)
        self.open_sections = [(r, n + 1) for r, n in self.open_sections]

    def check_totals(self, totals: list[tuple[SheetRow, int, int]]) -> None:
        """Each (total row, data rows before it, data rows since the last boundary)."""
        for row, before, since in totals:
            if row.total == "小计":
                rows = self.rows[before - since : before]
            else:
                rows = self.rows[:before] if before else self.rows
            for f in ("total_investment", "annual_plan"):
                col = self.table.header.columns.get(f)
                raw = self.table.value(row, f) if col else None
                try:
                    stated = parse_money(raw)
                except MoneyParseError:
                    continue
                if stated is None:
                    continue
                summed = sum((r.values.get(f) or Decimal(0) for r in rows), Decimal("0.00"))
                if stated != summed:
                    self.result.warnings.append(
                        Issue(
                            self.table.name,
                            row.number,
                            col.letter,
                            col.header,
                            cell_text(raw),
                            _(
                                "The %(total)s row says %(stated)s but the rows above add up to %(sum)s."
                            )
                            % {
                                "total": row.total,
                                "stated": format_money(stated),
                                "sum": format_money(summed),
                            },
                        )
                    )

    def walk(self) -> list[_Row]:
        totals: list[tuple[SheetRow, int, int]] = []
        since_boundary = 0
        for row in self.table.rows:
            if row.kind == "section":
                self.section(row)
                since_boundary = 0
            elif row.kind == "total":
                totals.append((row, len(self.rows), since_boundary))
                since_boundary = 0
            else:
                self.data(row)
                since_boundary += 1
        self._close_sections(0)
        self.check_totals(totals)
        return self.rows


# ---------------------------------------------------------------------------------------
# Matching and differences


def _chunks(items: list, size: int = _CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _existing(year: int, codes: set[str], keys: set[str]) -> tuple[dict, dict, dict[int, dict]]:
    """Existing projects of ``year`` with these codes or name keys, with their M2M ids,
    monthly plans and milestone dates, in a bounded number of queries."""
    fields = ["id", "name_key", *SCALAR_FIELDS]
    found: dict[int, dict] = {}
    for chunk in _chunks(sorted(codes)):
        for p in Project.objects.filter(year=year, code__in=chunk).values(*fields):
            found[p["id"]] = p
    for chunk in _chunks(sorted(keys)):
        for p in Project.objects.filter(year=year, name_key__in=chunk).values(*fields):
            found[p["id"]] = p
    for p in found.values():
        p["cooperating_units"], p["leaders"], p["months"] = set(), set(), None
    ids = sorted(found)
    for chunk in _chunks(ids):
        through = Project.cooperating_units.through
        for pid, uid in through.objects.filter(project_id__in=chunk).values_list(
            "project_id", "unit_id"
        ):
            found[pid]["cooperating_units"].add(uid)
        through = Project.leaders.through
        for pid, lid in through.objects.filter(project_id__in=chunk).values_list(
            "project_id", "leader_id"
        ):
            found[pid]["leaders"].add(lid)
        for pid, month, planned in MonthlyPlan.objects.filter(project_id__in=chunk).values_list(
            "project_id", "month", "planned"
        ):
            if found[pid]["months"] is None:
                found[pid]["months"] = {m: Decimal("0.00") for m in range(1, 13)}
            found[pid]["months"][month] = planned
        for pid, kind, planned_on in (
            Milestone.objects.filter(project_id__in=chunk, kind__in=list(MILESTONE_FIELDS.values()))
            .order_by("project_id", "order", "id")
            .values_list("project_id", "kind", "planned_on")
        ):
            f = next(k for k, v in MILESTONE_FIELDS.items() if v == kind)
            found[pid].setdefault(f, planned_on)
    by_code = {p["code"]: p for p in found.values()}
    by_key: dict[str, list[dict]] = defaultdict(list)
    for p in found.values():
        by_key[p["name_key"]].append(p)
    return by_code, by_key, found


class _Show:
    """Field values as the user reads them in the changes table."""

    def __init__(self, names: _Names) -> None:
        self.names = names
        self.stages = dict(Stage.choices)

    def __call__(self, f: str, value: Any) -> str:
        if value is None:
            return "—"
        if f == "category":
            return self.names.category_names.get(value, str(value))
        if f == "responsible_unit":
            return self.names.unit_names.get(value, str(value))
        if f == "cooperating_units":
            return "、".join(sorted(self.names.unit_names.get(i, str(i)) for i in value)) or "—"
        if f == "leaders":
            return "、".join(sorted(self.names.leader_names.get(i, str(i)) for i in value)) or "—"
        if f == "stage":
            return str(self.stages.get(value, value))
        if f == "months":
            return "、".join(f"{m}月 {format_money(a)}" for m, a in sorted(value.items()))
        if isinstance(value, Decimal):
            return format_money(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)


def _default_stage(year: int, start: int) -> str:
    if start > year:
        return Stage.PREPARATION
    return Stage.NEW if start == year else Stage.CONTINUING


def _complete_new(row: _Row, year: int) -> list[str]:
    """Fill what a new project needs but the sheet may leave out; say what is missing."""
    v = row.values
    missing = []
    if v.get("category") is None and not v.get("category_bad"):
        missing.append(_("category (a 项目类别 column or a section row such as 一、工业项目)"))
    if v.get("responsible_unit") is None:
        missing.append(_("responsible unit"))
    if v.get("total_investment") is None:
        missing.append(_("total investment"))
    v.setdefault("annual_plan", Decimal("0.00"))
    start = v.get("start_year") or min(year, v.get("end_year") or year)
    end = v.get("end_year") or max(year, start)
    v["start_year"], v["end_year"] = start, end
    if not v.get("stage"):
        v["stage"] = _default_stage(year, start)
    return missing


def _next_codes(year: int, taken: set[str]) -> Iterable[str]:
    n = 1
    while True:
        code = f"{year}-{n:04d}"
        if code not in taken:
            yield code
        n += 1


# ---------------------------------------------------------------------------------------
# The service


def import_projects(*, actor: Any, file: str | Path, year: int, dry_run: bool) -> ImportResult:
    """Validate the whole workbook at ``file`` against the ``year``'s project list; unless
    ``dry_run`` or any error, create and update the projects in one transaction, with one
    audit entry per created or updated project."""
    require(actor, Perm.MANAGE_PROJECTS)
    result = ImportResult(year=year, dry_run=dry_run)
    try:
        read = read_tables(file)
    except WorkbookRefused as exc:
        result.errors.append(Issue("", None, "", "", "", str(exc.message)))
        return result
    for name in read.skipped_sheets:
        result.warnings.append(
            Issue(name, None, "", "", "", _("Sheet skipped: no header row recognised."))
        )
    names = _Names()
    rows: list[_Row] = []
    for table in read.tables:
        rows.extend(_SheetWalk(table, names, year, result).walk())
    if not rows and not result.errors:
        result.errors.append(Issue("", None, "", "", "", _("The file has no project rows.")))

    _check_duplicates(rows, result)
    codes = {r.values["code"] for r in rows if r.values.get("code")}
    keys = {name_key(r.values["name"]) for r in rows if r.values.get("name")}
    by_code, by_key, found = _existing(year, codes, keys)
    show = _Show(names)
    labels = _labels()
    taken = set(Project.objects.filter(year=year).values_list("code", flat=True)) | codes
    new_codes = iter(_next_codes(year, taken))

    for row in rows:
        if not row.values.get("name"):
            continue
        v = row.values
        current = _match(row, by_code, by_key, result)
        if current is False:
            continue
        annual = v.get("annual_plan", current["annual_plan"] if current else None)
        if row.months is not None:
            total = sum(row.months.values(), Decimal("0.00"))
            if annual is not None and total != annual:
                result.errors.append(
                    _row_issue(
                        row,
                        _("The monthly plans add up to %(sum)s but the annual plan is %(annual)s.")
                        % {"sum": format_money(total), "annual": format_money(annual)},
                    )
                )
        if current is None:
            missing = _complete_new(row, year)
            if missing and not _has_error(row, result):
                result.errors.append(
                    _row_issue(
                        row, _("A new project needs: %(what)s.") % {"what": "；".join(missing)}
                    )
                )
            if not v.get("code"):
                v["code"] = next(new_codes)
            fields = [
                (labels[f], "", show(f, v[f]))
                for f in (*SCALAR_FIELDS, "cooperating_units", "leaders", *MILESTONE_FIELDS)
                if v.get(f) not in (None, "", set())
            ]
            if row.months is not None:
                fields.append((labels["months"], "", show("months", row.months)))
            result.changes.append(
                Change("create", row.sheet, row.number, v["code"], v["name"], fields)
            )
            continue
        row.project_id = current["id"]
        changed = []
        for f in (*SCALAR_FIELDS, "cooperating_units", "leaders", *MILESTONE_FIELDS):
            if f in v and v[f] is not None and v[f] != current.get(f):
                changed.append(f)
        if row.months is not None and row.months != current["months"]:
            changed.append("months")
        v["_changed"] = changed
        v["_before"] = current
        fields = [
            (
                labels[f],
                show(f, current.get(f)),
                show(f, row.months if f == "months" else v[f]),
            )
            for f in changed
        ]
        action = "update" if changed else "unchanged"
        result.changes.append(
            Change(action, row.sheet, row.number, current["code"], v["name"], fields)
        )

    if result.errors or dry_run:
        return result
    _apply(actor=actor, year=year, rows=rows, result=result)
    result.applied = True
    return result


def _row_issue(row: _Row, message: str) -> Issue:
    return Issue(row.sheet, row.number, "", "", row.values.get("name", ""), message)


def _has_error(row: _Row, result: ImportResult) -> bool:
    return any(e.sheet == row.sheet and e.row == row.number for e in result.errors)


def _check_duplicates(rows: list[_Row], result: ImportResult) -> None:
    seen_code: dict[str, _Row] = {}
    seen_name: dict[str, _Row] = {}
    for row in rows:
        code = row.values.get("code")
        if code:
            first = seen_code.setdefault(code, row)
            if first is not row:
                result.errors.append(
                    Issue(
                        row.sheet,
                        row.number,
                        "",
                        "",
                        code,
                        _("The code %(code)s appears twice in the file (first in row %(row)s).")
                        % {"code": code, "row": first.number},
                    )
                )
        key = name_key(row.values.get("name"))
        if key:
            first = seen_name.setdefault(key, row)
            if first is not row:
                result.errors.append(
                    Issue(
                        row.sheet,
                        row.number,
                        "",
                        "",
                        row.values["name"],
                        _(
                            "The project “%(name)s” appears twice in the file (first in row %(row)s)."
                        )
                        % {"name": row.values["name"], "row": first.number},
                    )
                )


def _match(row: _Row, by_code: dict, by_key: dict, result: ImportResult) -> dict | None | bool:
    """The existing project the row means (dict), None for a new one, False on a conflict."""
    code = row.values.get("code")
    key = name_key(row.values["name"])
    if code and code in by_code:
        return by_code[code]
    candidates = by_key.get(key, [])
    if len(candidates) > 1:
        result.errors.append(
            _row_issue(
                row,
                _("Several projects of this year have this name; give the code to say which one."),
            )
        )
        return False
    if candidates:
        existing = candidates[0]
        if code and existing["code"] != code:
            result.errors.append(
                _row_issue(
                    row,
                    _(
                        "A project with this name already has the code %(old)s; the file says %(new)s."
                    )
                    % {"old": existing["code"], "new": code},
                )
            )
            return False
        return existing
    return None


def _audit_value(f: str, value: Any) -> Any:
    if isinstance(value, str) and len(value) > AUDIT_TEXT_LIMIT:
        return value[:AUDIT_TEXT_LIMIT] + "…"
    if isinstance(value, set):
        return sorted(value)
    if isinstance(value, dict):
        return {str(m): str(a) for m, a in sorted(value.items())}
    return value


@transaction.atomic
def _apply(*, actor: Any, year: int, rows: list[_Row], result: ImportResult) -> None:
    stamp = now()
    new_rows = [r for r in rows if r.project_id is None and r.values.get("name")]
    upd_rows = [r for r in rows if r.project_id is not None and r.values.get("_changed")]
    created = Project.objects.bulk_create(
        [
            Project(
                year=year,
                code=r.values["code"],
                name=r.values["name"],
                name_key=name_key(r.values["name"]),
                pinyin_initials=pinyin_initials(r.values["name"])[:200],
                category_id=r.values["category"],
                stage=r.values["stage"],
                content=r.values.get("content", ""),
                location=r.values.get("location", ""),
                total_investment=r.values["total_investment"],
                annual_plan=r.values["annual_plan"],
                start_year=r.values["start_year"],
                end_year=r.values["end_year"],
                responsible_unit_id=r.values["responsible_unit"],
                created_at=stamp,
                updated_at=stamp,
            )
            for r in new_rows
        ],
        batch_size=500,
    )
    if any(p.pk is None for p in created):  # a database that does not return ids
        ids = dict(
            Project.objects.filter(year=year, code__in=[p.code for p in created]).values_list(
                "code", "id"
            )
        )
        for p in created:
            p.pk = p.id = ids[p.code]
    for r, p in zip(new_rows, created, strict=True):
        r.project_id = p.pk

    objs = {p.pk: p for p in created}
    for chunk in _chunks([r.project_id for r in upd_rows]):
        objs.update(Project.objects.in_bulk(chunk))
    update_fields: set[str] = set()
    for r in upd_rows:
        p = objs[r.project_id]
        for f in r.values["_changed"]:
            if f in SCALAR_FIELDS:
                attname = f"{f}_id" if f in ("category", "responsible_unit") else f
                setattr(p, attname, r.values[f])
                update_fields.add(attname)
        if "name" in r.values["_changed"]:
            p.name_key = name_key(p.name)
            p.pinyin_initials = pinyin_initials(p.name)[:200]
            update_fields |= {"name_key", "pinyin_initials"}
        p.updated_at = stamp
    if upd_rows:
        update_fields.add("updated_at")
        Project.objects.bulk_update(
            [objs[r.project_id] for r in upd_rows], sorted(update_fields), batch_size=500
        )

    touched = new_rows + upd_rows
    _apply_m2m(touched)
    _apply_months(touched)
    _apply_milestones(touched)

    for r in new_rows:
        after = {
            f: _audit_value(f, r.values.get(f))
            for f in (*SCALAR_FIELDS, "cooperating_units", "leaders", *MILESTONE_FIELDS)
            if r.values.get(f) not in (None, "", set())
        }
        if r.months is not None:
            after["months"] = _audit_value("months", r.months)
        audit_record(action=AuditAction.CREATE, actor=actor, obj=objs[r.project_id], after=after)
    for r in upd_rows:
        before_all = r.values["_before"]
        changed = r.values["_changed"]
        before = {f: _audit_value(f, before_all.get(f)) for f in changed}
        after = {f: _audit_value(f, r.months if f == "months" else r.values[f]) for f in changed}
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            obj=objs[r.project_id],
            before=before,
            after=after,
        )
    _refresh_lamps([r.project_id for r in touched], year)


def _changes(r: _Row, f: str) -> bool:
    if r.values.get("_changed") is None:  # a new project: whatever the sheet gave
        return f in r.values and r.values[f] not in (None, set())
    return f in r.values["_changed"]


def _apply_m2m(rows: list[_Row]) -> None:
    for f, model, col in (
        ("cooperating_units", Project.cooperating_units.through, "unit_id"),
        ("leaders", Project.leaders.through, "leader_id"),
    ):
        target = [r for r in rows if _changes(r, f)]
        ids = [r.project_id for r in target if r.values.get("_changed") is not None]
        for chunk in _chunks(ids):
            model.objects.filter(project_id__in=chunk).delete()
        model.objects.bulk_create(
            [
                model(project_id=r.project_id, **{col: i})
                for r in target
                for i in sorted(r.values[f])
            ],
            batch_size=1000,
        )


def _apply_months(rows: list[_Row]) -> None:
    target = [
        r
        for r in rows
        if r.months is not None
        and (r.values.get("_changed") is None or "months" in r.values["_changed"])
    ]
    for chunk in _chunks([r.project_id for r in target]):
        MonthlyPlan.objects.filter(project_id__in=chunk).delete()
    MonthlyPlan.objects.bulk_create(
        [
            MonthlyPlan(project_id=r.project_id, month=m, planned=a)
            for r in target
            for m, a in sorted(r.months.items())
        ],
        batch_size=1000,
    )


def _apply_milestones(rows: list[_Row]) -> None:
    names = {f: str(kind.label) for f, kind in MILESTONE_FIELDS.items()}
    for f, kind in MILESTONE_FIELDS.items():
        target = [r for r in rows if _changes(r, f)]
        if not target:
            continue
        existing: dict[int, Milestone] = {}
        for chunk in _chunks([r.project_id for r in target]):
            for m in Milestone.objects.filter(project_id__in=chunk, kind=kind).order_by(
                "-order", "-id"
            ):
                existing[m.project_id] = m  # the first by order wins
        to_update, to_create = [], []
        for r in target:
            m = existing.get(r.project_id)
            if m is None:
                order = 0 if kind == MilestoneKind.START else 90
                to_create.append(
                    Milestone(
                        project_id=r.project_id,
                        kind=kind,
                        name=names[f],
                        planned_on=r.values[f],
                        order=order,
                    )
                )
            else:
                m.planned_on = r.values[f]
                to_update.append(m)
        Milestone.objects.bulk_create(to_create, batch_size=1000)
        Milestone.objects.bulk_update(to_update, ["planned_on"], batch_size=500)


def _refresh_lamps(project_ids: list[int], year: int) -> None:
    """Plans changed: the lamps of the year's open periods are stale."""
    from luoshi.projects.status import status_refresh

    for period in ReportingPeriod.objects.filter(year=year, locked_at__isnull=True):
        try:
            status_refresh(project_ids=project_ids, period=period)
        except NotImplementedError:  # the lamp engine is not wired in yet
            return
