"""Import of the office's item list (交办事项清单) from Excel, all or nothing.

The header is found by its texts (in any column order, one row or a merged two-row header
such as 责任单位 over 牵头单位/配合单位); section rows ("一、经济发展类") and 合计 rows are
skipped. Every row is checked before anything is written: an unknown or inactive unit, an
unknown leader, a deadline that cannot be read, falls before the issue date or in a year the
working-day calendar does not know — each bad cell is listed with its sheet, row, column,
value and reason, and nothing is written.

Importing the same list twice must not duplicate items. A row is the same item as an
existing one when the source and its reference (文号) match, or when the content, the lead
unit and the deadline as written (the date, or the same number of working days) match; such
a row is refused with the code of the item it already became. The same test runs between
the rows of one file.

Writes are batched (one bulk insert each for items, cooperating units, history lines and
audit entries, one notification per unit), so a list of 1,000 rows imports in seconds.
"""

from __future__ import annotations

import datetime as dt
import re
from calendar import monthrange
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine as pc
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from luoshi.core import audit
from luoshi.core.calendar import CalendarUnknownError, WorkingCalendar
from luoshi.core.choices import AuditAction
from luoshi.core.clock import now
from luoshi.core.errors import DomainError
from luoshi.core.notifications import notify
from luoshi.core.permissions import Perm, require
from luoshi.orgs.models import Leader, Unit
from luoshi.projects.excel import layout, reader
from luoshi.projects.excel.reader import SheetRow, SheetTable, WorkbookRefused, cell_text
from luoshi.projects.excel.rows import Issue
from luoshi.projects.report_content import local_today
from luoshi.projects.text import name_key, nfkc
from luoshi.supervision import services
from luoshi.supervision.choices import EventKind, ItemSource, Priority
from luoshi.supervision.models import Item, ItemEvent, ItemUnit, SupervisionSettings

MAX_ROWS = 5_000
_CHUNK = 500

# Field → header texts (as ``layout.header_key`` reads them: no spaces, no bracketed notes).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号序号"),
    # "name" is the field the shared reader needs to recognise a header row.
    "name": (
        "事项内容",
        "督办事项",
        "督办内容",
        "交办事项",
        "事项内容及要求",
        "督办事项内容",
        "工作任务",
        "具体事项",
        "任务内容",
        "工作内容",
        "主要内容",
        "事项",
    ),
    "title": ("事项名称", "标题", "事项标题", "督办事项名称", "任务名称"),
    "source": ("来源", "事项来源", "交办来源", "任务来源"),
    "source_ref": ("文号", "来源文号", "交办文号", "批示文号", "工单号", "来源编号"),
    "lead_unit": ("牵头单位", "责任单位", "牵头责任单位", "主办单位", "承办单位"),
    "cooperating": ("配合单位", "协办单位", "协同单位", "配合责任单位"),
    "leader": ("责任领导", "分管领导", "包联领导", "县级责任领导", "牵头领导"),
    "deadline": ("完成时限", "办结时限", "完成时间", "时限要求", "办理时限", "完成期限"),
    "priority": ("优先级", "紧急程度", "缓急程度", "重要程度"),
    "issued_on": ("交办日期", "交办时间"),
    "instruction_leader": ("批示领导",),
    "instruction_text": ("批示内容", "批示意见"),
}
_FIELD_BY_KEY = {key: f for f, keys in HEADER_SYNONYMS.items() for key in keys}
REQUIRED = ("name", "lead_unit", "deadline")
EXPECTED_HEADERS = ("序号", "事项内容", "牵头单位", "完成时限")

SOURCE_WORDS: dict[str, str] = {
    "上级交办": ItemSource.ASSIGNMENT,
    "交办": ItemSource.ASSIGNMENT,
    "上级": ItemSource.ASSIGNMENT,
    "领导批示": ItemSource.INSTRUCTION,
    "批示": ItemSource.INSTRUCTION,
    "建议提案": ItemSource.PROPOSAL,
    "提案": ItemSource.PROPOSAL,
    "建议": ItemSource.PROPOSAL,
    "人大建议": ItemSource.PROPOSAL,
    "政协提案": ItemSource.PROPOSAL,
    "12345": ItemSource.HOTLINE,
    "12345热线": ItemSource.HOTLINE,
    "热线": ItemSource.HOTLINE,
    "会议议定": ItemSource.MEETING,
    "会议": ItemSource.MEETING,
    "项目问题": ItemSource.PROJECT,
}
PRIORITY_WORDS: dict[str, str] = {
    "一般": Priority.NORMAL,
    "普通": Priority.NORMAL,
    "重要": Priority.HIGH,
    "较急": Priority.HIGH,
    "紧急": Priority.URGENT,
    "特急": Priority.URGENT,
}
_WORKING_DAYS = re.compile(r"^(\d{1,3})个?工作日(?:内)?$|^(\d{1,3})workingdays?$", re.I)
_DATE = re.compile(r"(\d{4})\D+(\d{1,2})(?:\D+(\d{1,2}))?")
_DASH = {"—", "-", "--", "——", "/", "无"}


def header_field(text: object) -> str | None:
    key = layout.header_key(text)
    return _FIELD_BY_KEY.get(key) if key else None


def _choice_key(text: str) -> str:
    return re.sub(r"[\s（(）)]", "", nfkc(text)).lower()


# --------------------------------------------------------------------------- result


@dataclass
class PlannedItem:
    """A row that will become (or, after the import, became) an item."""

    sheet: str
    row: int
    values: dict[str, Any]
    cooperating: list[int]
    lead_name: str
    leader_name: str
    code: str = ""

    @property
    def title(self) -> str:
        return self.values["title"]

    @property
    def deadline(self) -> dt.date:
        return self.values["deadline"]

    @property
    def source_label(self) -> str:
        return str(ItemSource(self.values["source"]).label)

    @property
    def priority_label(self) -> str:
        return str(Priority(self.values["priority"]).label)


@dataclass
class ImportResult:
    dry_run: bool
    errors: list[Issue] = field(default_factory=list)
    items: list[PlannedItem] = field(default_factory=list)
    skipped_sheets: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def created(self) -> list[PlannedItem]:
        return [] if self.dry_run or self.errors else self.items


# --------------------------------------------------------------------------- reading


def _read(path: Path, result: ImportResult) -> list[SheetTable]:
    workbook = reader.open_workbook(path)
    tables: list[SheetTable] = []
    try:
        for index, meta in enumerate(workbook.sheets_metadata):
            if (
                meta.typ != pc.SheetTypeEnum.WorkSheet
                or meta.visible != pc.SheetVisibleEnum.Visible
            ):
                continue
            try:
                sheet = workbook.get_sheet_by_index(index)
            except Exception as exc:
                raise WorkbookRefused(
                    _("The sheet “%(sheet)s” is damaged and cannot be read.") % {"sheet": meta.name}
                ) from exc
            # The shared reader's sheet walk: header by text, merged cells, row kinds.
            table = reader._read_sheet(sheet, meta.name, MAX_ROWS, header_field)
            if table is None:
                if sheet.end is not None:
                    result.skipped_sheets.append(meta.name)
                continue
            tables.append(table)
    finally:
        workbook.close()
    if not tables:
        raise WorkbookRefused(
            _(
                "No sheet has a header row we recognise. Expected a row with column titles "
                "such as: %(headers)s."
            )
            % {"headers": "、".join(EXPECTED_HEADERS)}
        )
    return tables


class _Names:
    """Units and leaders by name, read once per import. ``None`` marks an ambiguous key."""

    def __init__(self) -> None:
        self.units: dict[str, int | None] = {}
        self.inactive: dict[str, str] = {}
        self.unit_names: dict[int, str] = {}
        for u in Unit.objects.values("id", "name", "short_name", "is_active"):
            keys = {name_key(u["name"]), name_key(u["short_name"])} - {""}
            if not u["is_active"]:
                for key in keys:
                    self.inactive.setdefault(key, u["name"])
                continue
            self.unit_names[u["id"]] = u["name"]
            for key in keys:
                self.units[key] = None if self.units.get(key, u["id"]) != u["id"] else u["id"]
        self.leaders: dict[str, int | None] = {}
        self.leader_names: dict[int, str] = {}
        for ld in Leader.objects.filter(is_active=True).values("id", "name"):
            key = name_key(ld["name"])
            self.leader_names[ld["id"]] = ld["name"]
            self.leaders[key] = None if key in self.leaders else ld["id"]


class _Row:
    """One data row read into item values; each bad cell adds an Issue to ``errors``."""

    def __init__(self, table: SheetTable, row: SheetRow, names: _Names, today: dt.date) -> None:
        self.table, self.row, self.names, self.today = table, row, names, today
        self.errors: list[Issue] = []

    def raw(self, f: str) -> Any:
        value = self.table.value(self.row, f)
        if isinstance(value, str) and value.strip() in _DASH:
            return None
        return value

    def text(self, f: str) -> str:
        value = self.raw(f)
        return "" if value is None else cell_text(value)

    def shown(self, f: str) -> str:
        """The cell as the user sees it in Excel: a date cell as a date."""
        raw = self.raw(f)
        if f in ("deadline", "issued_on") and _serial_date(raw):
            return _serial_date(raw).isoformat()  # type: ignore[union-attr]
        return "" if raw is None else cell_text(raw)

    def error(self, f: str | None, message: str) -> None:
        col = self.table.header.columns.get(f) if f else None
        self.errors.append(
            Issue(
                sheet=self.table.name,
                row=self.row.number,
                column=col.letter if col else "",
                header=col.header if col else "",
                value=self.shown(f)[:100] if f else "",
                message=message,
            )
        )

    def unit(self, f: str, text: str) -> int | None:
        key = name_key(text)
        found = self.names.units.get(key, 0)
        if found is None:
            self.error(
                f,
                _("Several units have this name: %(name)s. Write the full name.") % {"name": text},
            )
        elif found == 0:
            if key in self.names.inactive:
                self.error(
                    f,
                    _("%(name)s is no longer active; choose an active unit.")
                    % {"name": self.names.inactive[key]},
                )
            else:
                self.error(
                    f,
                    _(
                        "Unknown unit: %(name)s. Write the unit's full or short name as on the unit list."
                    )
                    % {"name": text},
                )
        else:
            return found
        return None

    def leader(self, f: str) -> int | None:
        text = self.text(f)
        if not text:
            return None
        names = layout.split_names(text)
        if len(names) != 1:
            self.error(f, _("Write one leader's name."))
            return None
        found = self.names.leaders.get(name_key(names[0]), 0)
        if found is None:
            self.error(f, _("Several active leaders are called %(name)s.") % {"name": names[0]})
        elif found == 0:
            self.error(
                f,
                _("Unknown leader: %(name)s. Leaders are matched by name on the leader list.")
                % {"name": names[0]},
            )
        else:
            return found
        return None

    def date(self, f: str) -> dt.date | None | bool:
        """A date, None when blank, False when unreadable (the error is recorded)."""
        raw = self.raw(f)
        if raw is None:
            return None
        found = parse_date(raw)
        if found is None:
            self.error(f, _("Cannot read a date here (write e.g. 2026-06-30 or 2026年6月30日)."))
            return False
        return found

    def read(self) -> dict[str, Any] | None:
        content = self.text("name")
        if not content:
            self.error("name", _("Enter the content of the item."))
        elif len(content) > services.MAX_TEXT:
            self.error("name", _("At most %(n)s characters.") % {"n": services.MAX_TEXT})
        title = self.text("title") or _derive_title(content)
        if len(title) > 200:
            self.error("title", _("At most %(n)s characters.") % {"n": 200})

        source_text = self.text("source")
        source = ItemSource.ASSIGNMENT
        if source_text:
            key = _choice_key(source_text)
            source = SOURCE_WORDS.get(key) or (key if key in ItemSource.values else "")
            if not source:
                self.error(
                    "source",
                    _("Unknown source. Write one of: %(choices)s.")
                    % {"choices": "、".join(("上级交办", "领导批示", "建议提案", "12345热线"))},
                )
            elif source in (ItemSource.MEETING, ItemSource.PROJECT):
                self.error(
                    "source",
                    _(
                        "Items from a meeting decision or a key-project problem are issued from "
                        "the meeting or the problem, not from a list."
                    ),
                )
        source_ref = self.text("source_ref")
        if len(source_ref) > 64:
            self.error("source_ref", _("At most %(n)s characters.") % {"n": 64})

        lead: int | None = None
        lead_names = layout.split_names(self.text("lead_unit"))
        if not lead_names:
            self.error("lead_unit", _("Enter the lead unit."))
        elif len(lead_names) > 1:
            self.error(
                "lead_unit",
                _("An item has one lead unit; put the others under cooperating units."),
            )
        else:
            lead = self.unit("lead_unit", lead_names[0])
        cooperating: list[int] = []
        for n in layout.split_names(self.text("cooperating")):
            uid = self.unit("cooperating", n)
            if uid is not None and uid != lead and uid not in cooperating:
                cooperating.append(uid)

        leader = self.leader("leader")
        instruction_leader = self.leader("instruction_leader")
        instruction_text = self.text("instruction_text")
        if source == ItemSource.INSTRUCTION and not (instruction_leader and instruction_text):
            self.error(
                "instruction_text" if instruction_leader else "instruction_leader",
                _("A leader's instruction needs the leader and the instruction text."),
            )

        priority = Priority.NORMAL
        if self.text("priority"):
            priority = PRIORITY_WORDS.get(_choice_key(self.text("priority")), "")
            if not priority:
                self.error(
                    "priority",
                    _("Unknown priority. Write one of: %(choices)s.")
                    % {"choices": "、".join(PRIORITY_WORDS)},
                )

        issued_on = self.date("issued_on")
        issued_on = issued_on or (None if issued_on is False else self.today)
        deadline: dt.date | None = None
        working_days: int | None = None
        raw_deadline = self.raw("deadline")
        days = parse_working_days(raw_deadline)
        if raw_deadline is None:
            self.error("deadline", _("Enter the deadline: a date or N个工作日."))
        elif days is not None:
            working_days = days
            if not 1 <= working_days <= 500:
                self.error("deadline", _("Working days must be a whole number from 1 to 500."))
                working_days = None
        else:
            found = self.date("deadline")
            deadline = found if isinstance(found, dt.date) else None
        if self.errors or issued_on is None:
            return None
        return {
            "title": title,
            "content": content,
            "source": source,
            "source_ref": source_ref,
            "instruction_leader_id": instruction_leader,
            "instruction_text": instruction_text,
            "lead_unit_id": lead,
            "responsible_leader_id": leader,
            "priority": priority,
            "issued_on": issued_on,
            "deadline": deadline,
            "deadline_working_days": working_days,
            "cooperating": cooperating,
        }


def parse_date(raw: Any) -> dt.date | None:
    """A deadline cell as a date: a date cell, Excel's day number, or text such as
    2026-06-30, 2026/6/30, 2026年6月30日, or 2026年6月 (its last day). None: not a date."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if _serial_date(raw):
        return _serial_date(raw)
    match = _DATE.search(nfkc(raw).strip())
    if not match:
        return None
    y, m = int(match.group(1)), int(match.group(2))
    try:
        if match.group(3):
            return dt.date(y, m, int(match.group(3)))
        return dt.date(y, m, monthrange(y, m)[1])
    except ValueError:
        return None


def parse_working_days(raw: Any) -> int | None:
    """ "15个工作日", "15 个工作日内", "15 working days" → 15; anything else None."""
    if not isinstance(raw, str):
        return None
    match = _WORKING_DAYS.match(re.sub(r"\s", "", nfkc(raw)))
    return int(match.group(1) or match.group(2)) if match else None


def _serial_date(raw: Any) -> dt.date | None:
    """A date cell without a date format reaches us as Excel's day number."""
    if isinstance(raw, int | float) and not isinstance(raw, bool) and 20000 <= raw <= 80000:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(raw))
    return None


def _derive_title(content: str) -> str:
    """The first sentence of the content, at most 60 characters."""
    first = re.split(r"[。；;！!？?\n]", content, maxsplit=1)[0].strip()
    return (first or content)[:60]


def _content_key(text: str) -> str:
    return name_key(text)


# --------------------------------------------------------------------------- checking


class _Calendar(WorkingCalendar):
    """Answers each day once: a thousand rows ask about the same few hundred days."""

    def __init__(self, start: dt.date, end: dt.date) -> None:
        super().__init__(start, end)
        self._memo: dict[dt.date, bool] = {}

    def is_working_day(self, day: dt.date) -> bool:
        found = self._memo.get(day)
        if found is None:
            found = self._memo[day] = super().is_working_day(day)
        return found


def _calendar(rows: list[tuple[_Row, dict]]) -> WorkingCalendar | None:
    days = [v["issued_on"] for _r, v in rows] + [v["deadline"] for _r, v in rows if v["deadline"]]
    if not days:
        return None
    longest = max((v["deadline_working_days"] or 0 for _r, v in rows), default=0)
    return _Calendar(min(days), max(days) + dt.timedelta(days=longest * 3 + 60))


def _dates(
    rows: list[tuple[_Row, dict]], settings: SupervisionSettings, result: ImportResult
) -> None:
    """Deadline, acceptance date and the calendar's years, with one calendar for the file."""
    calendar = _calendar(rows)
    for r, v in rows:
        try:
            if v["deadline_working_days"]:
                v["deadline"] = calendar.add_working_days(
                    v["issued_on"], v["deadline_working_days"]
                )
            elif v["deadline"] < v["issued_on"]:
                r.error(
                    "deadline",
                    _("The deadline %(deadline)s is before the issue date %(issued)s.")
                    % {
                        "deadline": v["deadline"].isoformat(),
                        "issued": v["issued_on"].isoformat(),
                    },
                )
                continue
            else:
                calendar.is_working_day(v["deadline"])
            due = calendar.add_working_days(v["issued_on"], settings.acceptance_working_days)
            v["acceptance_due"] = min(due, v["deadline"])
        except CalendarUnknownError as exc:
            r.error("deadline" if "deadline" in r.table.header.columns else None, str(exc.message))


def _existing(rows: list[tuple[_Row, dict]]) -> tuple[dict, dict]:
    """Items already issued that a row may repeat: by source reference and by content."""
    refs = {(v["source"], v["source_ref"]) for _r, v in rows if v["source_ref"]}
    by_ref: dict[tuple[str, str], str] = {}
    ref_values = sorted({ref for _s, ref in refs})
    for i in range(0, len(ref_values), _CHUNK):
        for source, ref, code in Item.objects.filter(
            source_ref__in=ref_values[i : i + _CHUNK]
        ).values_list("source", "source_ref", "code"):
            by_ref.setdefault((source, ref), code)
    contents = sorted({v["content"] for _r, v in rows})
    leads = sorted({v["lead_unit_id"] for _r, v in rows})
    by_content: dict[tuple, str] = {}
    for i in range(0, len(contents), _CHUNK):
        for row in Item.objects.filter(
            content__in=contents[i : i + _CHUNK], lead_unit_id__in=leads
        ).values("content", "lead_unit_id", "deadline", "deadline_working_days", "code"):
            by_content.setdefault(_twin_key(row), row["code"])
    return by_ref, by_content


def _twin_key(v: dict) -> tuple:
    # The deadline as written: N working days give another date on another day.
    when = (
        ("wd", v["deadline_working_days"]) if v["deadline_working_days"] else ("d", v["deadline"])
    )
    return (_content_key(v["content"]), v["lead_unit_id"], when)


def _duplicates(rows: list[tuple[_Row, dict]]) -> None:
    by_ref, by_content = _existing(rows)
    seen_ref: dict[tuple[str, str], int] = {}
    seen_content: dict[tuple, int] = {}
    for r, v in rows:
        ref = (v["source"], v["source_ref"])
        key = _twin_key(v)
        if v["source_ref"] and ref in by_ref:
            r.error(
                "source_ref",
                _("%(ref)s was already issued as item %(code)s.")
                % {"ref": v["source_ref"], "code": by_ref[ref]},
            )
        elif key in by_content:
            r.error(
                "name",
                _(
                    "Already imported as item %(code)s (same content, lead unit and deadline); "
                    "this list or this row was imported before."
                )
                % {"code": by_content[key]},
            )
        elif v["source_ref"] and ref in seen_ref:
            r.error(
                "source_ref",
                _("The same reference is on row %(row)s of this file.") % {"row": seen_ref[ref]},
            )
        elif key in seen_content:
            r.error(
                "name",
                _("Row %(row)s of this file has the same content, lead unit and deadline.")
                % {"row": seen_content[key]},
            )
        seen_ref.setdefault(ref, r.row.number)
        seen_content.setdefault(key, r.row.number)


def check_file(path: str | Path, *, today: dt.date | None = None) -> tuple[ImportResult, list]:
    """Read and check every row; nothing is written. Returns the result (errors, planned
    items) and the checked rows for ``_write``."""
    result = ImportResult(dry_run=True)
    try:
        tables = _read(Path(path), result)
    except DomainError as exc:
        result.errors.append(Issue("", None, "", "", "", str(exc.message)))
        return result, []
    today = today or local_today()
    names = _Names()
    checked: list[tuple[_Row, dict]] = []
    all_rows: list[_Row] = []
    for table in tables:
        missing = [f for f in REQUIRED if f not in table.header.columns]
        if missing:
            result.errors.append(
                Issue(
                    table.name,
                    table.header.first_row + 1,
                    "",
                    "",
                    "",
                    _("The header has no column for: %(fields)s.")
                    % {"fields": "、".join(HEADER_SYNONYMS[f][0] for f in missing)},
                )
            )
            continue
        for row in reader.iter_data_rows(table):
            r = _Row(table, row, names, today)
            all_rows.append(r)
            values = r.read()
            if values is not None:
                checked.append((r, values))
    if checked:
        _dates(checked, SupervisionSettings.current(), result)
        checked = [(r, v) for r, v in checked if not r.errors]
        _duplicates(checked)
    for r in all_rows:
        result.errors.extend(r.errors)
    if not all_rows and not result.errors:
        result.errors.append(Issue("", None, "", "", "", _("The file has no item rows.")))
    for r, v in checked:
        if not r.errors:
            result.items.append(
                PlannedItem(
                    sheet=r.table.name,
                    row=r.row.number,
                    values=v,
                    cooperating=v["cooperating"],
                    lead_name=names.unit_names.get(v["lead_unit_id"], ""),
                    leader_name=names.leader_names.get(v["responsible_leader_id"], ""),
                )
            )
    result.errors.sort(key=lambda e: (e.sheet, e.row or 0, e.column))
    return result, checked


# --------------------------------------------------------------------------- writing


def _audit_many(actor: Any, entries: list[dict[str, Any]]) -> None:
    """One audit entry per item, chained in one batch."""
    audit.audit_record_many(
        ({"action": str(e["action"]), "obj": e["obj"], "after": e["after"]} for e in entries),
        actor=actor,
    )


def _write(actor: Any, result: ImportResult, checked: list, filename: str) -> None:
    at = now()
    creator = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    by_year: dict[int, int] = {}
    items: list[Item] = []
    for plan in result.items:
        v = plan.values
        year = v["issued_on"].year
        if year not in by_year:
            by_year[year] = services.last_code_number(year)
        by_year[year] += 1
        plan.code = services.item_code(year, by_year[year])
        items.append(
            Item(
                code=plan.code,
                title=v["title"],
                content=v["content"],
                source=v["source"],
                source_ref=v["source_ref"],
                instruction_leader_id=v["instruction_leader_id"],
                instruction_text=v["instruction_text"],
                lead_unit_id=v["lead_unit_id"],
                responsible_leader_id=v["responsible_leader_id"],
                priority=v["priority"],
                issued_on=v["issued_on"],
                acceptance_due=v["acceptance_due"],
                deadline=v["deadline"],
                original_deadline=v["deadline"],
                deadline_working_days=v["deadline_working_days"],
                created_by=creator,
                created_at=at,
                updated_at=at,
            )
        )
    try:
        with transaction.atomic():
            Item.objects.bulk_create(items, batch_size=_CHUNK)
    except IntegrityError as exc:
        raise DomainError(
            _("Another item was issued while importing; nothing was written. Import again.")
        ) from exc
    ids = dict(Item.objects.filter(code__in=[i.code for i in items]).values_list("code", "pk"))
    for item in items:
        item.pk = ids[item.code]
    ItemUnit.objects.bulk_create(
        [
            ItemUnit(item_id=item.pk, unit_id=u)
            for item, plan in zip(items, result.items, strict=True)
            for u in plan.cooperating
        ],
        batch_size=_CHUNK,
    )
    note = _("Imported from %(file)s") % {"file": filename} if filename else ""
    ItemEvent.objects.bulk_create(
        [
            ItemEvent(
                item_id=item.pk,
                kind=EventKind.ISSUED,
                at=at,
                actor=creator,
                unit_id=getattr(creator, "unit_id", None),
                note=note,
            )
            for item in items
        ],
        batch_size=_CHUNK,
    )
    _audit_many(
        actor,
        [
            {
                "action": AuditAction.CREATE,
                "obj": item,
                "after": {
                    **audit.snapshot(item, services.ITEM_FIELDS),
                    "cooperating_units": sorted(plan.cooperating),
                    "imported_from": filename,
                    "row": plan.row,
                },
            }
            for item, plan in zip(items, result.items, strict=True)
        ],
    )
    _notify(items, result.items)


def _notify(items: list[Item], plans: list[PlannedItem]) -> None:
    """One message per unit, however many items it got."""
    per_unit: dict[int, list[Item]] = {}
    for item, plan in zip(items, plans, strict=True):
        for unit_id in [item.lead_unit_id, *plan.cooperating]:
            per_unit.setdefault(unit_id, []).append(item)
    batch = items[0].code if items else ""
    link = _inbox_link()
    for unit_id, got in per_unit.items():
        notify(
            recipients=services.unit_users([unit_id]),
            kind="item",
            title=_("%(n)s new supervision items: %(first)s …")
            % {"n": len(got), "first": got[0].title[:40]}
            if len(got) > 1
            else _("New supervision item %(code)s: %(title)s")
            % {"code": got[0].code, "title": got[0].title},
            body=_("Accept them in the inbox by their acceptance dates."),
            link=link,
            dedupe_key=f"items-import:{batch}:{unit_id}",
        )


def _inbox_link() -> str:
    return reverse("supervision:inbox")


def import_items(
    *,
    actor: Any,
    file: str | Path,
    dry_run: bool,
    filename: str = "",
    today: dt.date | None = None,
) -> ImportResult:
    """Check the list and, unless ``dry_run`` or any row is bad, issue every item in one
    transaction. ``actor`` None is the server console (audited as such)."""
    if actor is not None:
        require(actor, Perm.MANAGE_ITEMS)
    filename = filename or Path(file).name
    with transaction.atomic():
        if not dry_run:
            # Two imports of one list at once: the second waits here and then finds the
            # first one's items as duplicates (the audit chain is locked by every write).
            from luoshi.core.models import AuditChainHead

            AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        result, checked = check_file(file, today=today)
        result.dry_run = dry_run
        if dry_run or result.errors or not result.items:
            return result
        _write(actor, result, checked, filename)
    return result
