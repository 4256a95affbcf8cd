"""Reading the rows of a key-project sheet into clean values (行校验): every bad cell becomes
an ``Issue`` with its sheet, row, column letter, header, value and reason; section rows set
the category or stage of the rows below them; 合计/小计 rows and announced counts are checked
(warnings only)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from luoshi.core.money import MoneyParseError, format_money, parse_money
from luoshi.orgs.models import Leader, Unit
from luoshi.projects.excel import layout
from luoshi.projects.excel.reader import SheetRow, SheetTable, cell_text
from luoshi.projects.models import Category
from luoshi.projects.text import name_key, nfkc

MAX_MONEY = Decimal("999999999999.99")
MILESTONE_FIELDS = ("start_date", "completion_date")


@dataclass(frozen=True)
class Issue:
    """One bad (or doubtful) cell or row: where it is, what it holds, what is wrong."""

    sheet: str
    row: int | None
    column: str
    header: str
    value: str
    message: str


def field_labels() -> dict[str, str]:
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


class Names:
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
class Row:
    sheet: str
    number: int
    values: dict[str, Any]  # field → clean value, only for the columns the sheet has
    months: dict[int, Decimal] | None
    project_id: int | None = None


class _RowReader:
    """Turns one sheet row into clean values, collecting an ``Issue`` per bad cell."""

    def __init__(self, table: SheetTable, row: SheetRow, names: Names, year: int) -> None:
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

    def read(self, context: dict[str, Any]) -> Row:
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
        return Row(self.table.name, self.row.number, v, months)


# ---------------------------------------------------------------------------------------
# Sections, totals, counts


class SheetWalk:
    """Walks one sheet: section rows set the category (or stage) for the rows below them;
    合计/小计 rows and announced counts are checked against the rows (warnings only)."""

    def __init__(self, table: SheetTable, names: Names, year: int, result: Any) -> None:
        self.table, self.names, self.year, self.result = table, names, year, result
        self.context: dict[int, dict[str, Any]] = {}
        self.open_sections: list[tuple[SheetRow, int]] = []  # (row, data rows so far)
        self.rows: list[Row] = []

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

    def walk(self) -> list[Row]:
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
