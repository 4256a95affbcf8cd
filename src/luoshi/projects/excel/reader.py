"""Reading the office's Excel tables with python-calamine: refuse what is not a plain .xlsx
(macros, corrupt or oversized files) before parsing, find the one- or two-row header by its
texts in any column order, and classify each row below it as data, section or total.

Row numbers are the ones Excel shows (1-based), columns are letters, so that every message
points at a cell the user can find."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine as pc
from django.utils.translation import gettext as _
from xlsxwriter.utility import xl_col_to_name

from luoshi.core.errors import DomainError
from luoshi.projects.excel import layout

MAX_DATA_ROWS = 5_000
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
HEADER_SEARCH_ROWS = 15

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


class WorkbookRefused(DomainError):
    """The file as a whole cannot be read: wrong format, macros, corrupt, too large."""


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str:
    """A cell as the user sees it: 20260001.0 → "20260001", dates as yyyy-mm-dd."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value).strip()


def _check_container(path: Path) -> None:
    """Cheap checks on the bytes and the zip directory before calamine parses anything."""
    size = path.stat().st_size
    if size == 0:
        raise WorkbookRefused(_("The file is empty."))
    if size > MAX_FILE_BYTES:
        raise WorkbookRefused(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": f"{size / 1048576:.1f}", "limit": MAX_FILE_BYTES // 1048576}
        )
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic == _OLE_MAGIC:
        raise WorkbookRefused(
            _(
                "This is an old .xls workbook or a password-protected file. "
                "Save it as an Excel workbook (.xlsx) without a password and upload it again."
            )
        )
    if magic != _ZIP_MAGIC:
        raise WorkbookRefused(
            _("This is not an Excel workbook (.xlsx). Save the table as .xlsx and try again.")
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise WorkbookRefused(
            _("The file is damaged and cannot be opened as an Excel workbook (.xlsx).")
        ) from exc
    names = {info.filename for info in infos}
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise WorkbookRefused(
            _(
                "The workbook contains macros (.xlsm). Macros are refused for safety: "
                "save it as an Excel workbook (.xlsx) without macros and upload it again."
            )
        )
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        raise WorkbookRefused(
            _("This is not an Excel workbook (.xlsx). Save the table as .xlsx and try again.")
        )
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise WorkbookRefused(
            _("The workbook unpacks to more than %(limit)s MB and is refused.")
            % {"limit": MAX_UNPACKED_BYTES // 1048576}
        )


def open_workbook(path: str | Path) -> pc.CalamineWorkbook:
    """Open ``path`` after the container checks; any calamine failure is a corrupt file."""
    path = Path(path)
    _check_container(path)
    try:
        return pc.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several types for damaged files
        raise WorkbookRefused(
            _("The file is damaged and cannot be opened as an Excel workbook (.xlsx).")
        ) from exc


# ---------------------------------------------------------------------------------------
# Header detection


@dataclass(frozen=True)
class Col:
    """A recognised column: its index, Excel letter and the header text the file uses."""

    index: int
    letter: str
    header: str


@dataclass
class Header:
    first_row: int  # 0-based
    last_row: int  # 0-based; equal to first_row for a one-row header
    columns: dict[str, Col]
    month_columns: dict[int, Col]


def _fill_merges(rows: list[list[Any]], merges: list | None, first: int, last: int) -> None:
    """Copy each merged range's value into every cell it covers within rows first..last."""
    for (r1, c1), (r2, c2) in merges or ():
        if r2 < first or r1 > last or r1 >= len(rows):
            continue
        value = rows[r1][c1] if c1 < len(rows[r1]) else None
        for r in range(max(r1, first), min(r2, last) + 1):
            row = rows[r]
            for c in range(c1, min(c2, len(row) - 1) + 1):
                if is_blank(row[c]):
                    row[c] = value


Lookup = Callable[[object], str | None]


def _recognised(row: list[Any], lookup: Lookup = layout.header_field) -> int:
    return sum(1 for v in row if isinstance(v, str) and lookup(v))


def _labels(
    rows: list[list[Any]], r: int, two: bool, lookup: Lookup = layout.header_field
) -> Header:
    parent_row = rows[r]
    child_row = rows[r + 1] if two else []
    width = max(len(parent_row), len(child_row))
    columns: dict[str, Col] = {}
    months: dict[int, Col] = {}
    parent = ""
    for c in range(width):
        own = parent_row[c] if c < len(parent_row) else ""
        child = cell_text(child_row[c]) if c < len(child_row) else ""
        if not is_blank(own):
            parent = cell_text(own)
        elif not two or not child:
            parent = ""  # forward-fill a parent only over the children below it
        candidates: list[tuple[str, str]] = []
        if child and child != parent:
            candidates = [(child, child), (parent + child, f"{parent} {child}".strip())]
        candidates.append((parent, parent))
        for text, shown in candidates:
            found = lookup(text)
            if not found:
                continue
            col = Col(c, xl_col_to_name(c), shown)
            if found.startswith("month:"):
                if not layout.is_actuals_parent(parent):
                    months.setdefault(int(found[6:]), col)
            else:
                columns.setdefault(found, col)  # the first column of a field wins
            break
    return Header(r, r + 1 if two else r, columns, months)


def find_header(
    rows: list[list[Any]], merges: list | None, lookup: Lookup = layout.header_field
) -> Header | None:
    """The first row (within the first rows) holding recognised header texts, with the row
    below it when that row holds sub-headers (a merged two-row header). ``lookup`` maps a
    header text to its field (the monthly report sheet passes its own)."""
    limit = min(len(rows), HEADER_SEARCH_ROWS)
    for r in range(limit):
        if _recognised(rows[r], lookup) == 0:
            continue
        two = False
        if r + 1 < len(rows):
            vertical = any(r1 == r and r2 >= r + 1 for (r1, _c1), (r2, _c2) in merges or ())
            below = rows[r + 1]
            two = vertical or (
                _recognised(below, lookup) > 0
                and parse_row_kind(below, None)[0] not in ("section", "total")
            )
        if merges:
            _fill_merges(rows, merges, r, r + 1 if two else r)
        header = _labels(rows, r, two, lookup)
        if "name" in header.columns:
            return header
    return None


# ---------------------------------------------------------------------------------------
# Rows


def parse_row_kind(
    row: list[Any], header: Header | None
) -> tuple[str, layout.Section | str | None]:
    """("blank", None) | ("total", "合计") | ("section", Section) | ("data", None)."""
    filled = [(c, v) for c, v in enumerate(row) if not is_blank(v)]
    if not filled:
        return "blank", None
    seq_col = header.columns["seq"].index if header and "seq" in header.columns else None
    name_col = header.columns["name"].index if header else None
    probes = [cell_text(filled[0][1])]
    if name_col is not None and name_col < len(row) and not is_blank(row[name_col]):
        probes.append(cell_text(row[name_col]))
    for probe in probes:
        total = layout.parse_total(probe)
        if total:
            return "total", total
    first_text = cell_text(filled[0][1])
    section = layout.parse_section(first_text)
    if section is None and name_col is not None and name_col < len(row):
        numeral = row[seq_col] if seq_col is not None and seq_col < len(row) else None
        if not is_blank(row[name_col]):
            section = layout.parse_section(row[name_col], numeral)
    if section is None and len(filled) == 1:
        # "工业项目（15个）" on its own, without a numeral
        title = first_text
        body, count = layout.split_count(title)
        if count is not None and body:
            section = layout.Section(1, body, count)
    if section is not None:
        return "section", section
    return "data", None


@dataclass
class SheetRow:
    kind: str  # data | section | total
    number: int  # as Excel shows it
    values: list[Any]
    section: layout.Section | None = None
    total: str | None = None


@dataclass
class SheetTable:
    name: str
    header: Header
    rows: list[SheetRow] = field(default_factory=list)

    def value(self, row: SheetRow, fieldname: str) -> Any:
        col = self.header.columns.get(fieldname)
        if col is None or col.index >= len(row.values):
            return None
        value = row.values[col.index]
        return None if is_blank(value) else value


@dataclass
class ReadResult:
    tables: list[SheetTable]
    skipped_sheets: list[str]


def read_tables(
    path: str | Path, *, max_rows: int = MAX_DATA_ROWS, lookup: Lookup = layout.header_field
) -> ReadResult:
    """Every visible worksheet with a recognisable header, its rows classified. Refuses
    (``WorkbookRefused``) a sheet with more than ``max_rows`` rows below its header before
    converting them, and a workbook where no sheet has a recognisable header."""
    workbook = open_workbook(path)
    tables: list[SheetTable] = []
    skipped: list[str] = []
    try:
        for index, meta in enumerate(workbook.sheets_metadata):
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue
            if meta.visible != pc.SheetVisibleEnum.Visible:
                continue
            try:
                sheet = workbook.get_sheet_by_index(index)
            except Exception as exc:
                raise WorkbookRefused(
                    _("The sheet “%(sheet)s” is damaged and cannot be read.") % {"sheet": meta.name}
                ) from exc
            table = _read_sheet(sheet, meta.name, max_rows, lookup)
            if table is None:
                if sheet.end is not None:
                    skipped.append(meta.name)
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
            % {"headers": "、".join(layout.EXPECTED_HEADERS)}
        )
    return ReadResult(tables, skipped)


def _read_sheet(
    sheet: pc.CalamineSheet, name: str, max_rows: int, lookup: Lookup = layout.header_field
) -> SheetTable | None:
    if sheet.end is None:
        return None
    total_rows = sheet.end[0] + 1
    head = [list(r) for r in sheet.to_python(skip_empty_area=False, nrows=HEADER_SEARCH_ROWS + 1)]
    merges = sheet.merged_cell_ranges
    header = find_header(head, merges, lookup)
    if header is None:
        return None
    data_rows = total_rows - header.last_row - 1
    if data_rows > max_rows:
        raise WorkbookRefused(
            _(
                "The sheet “%(sheet)s” has %(rows)s rows below its header; the limit is "
                "%(limit)s rows per sheet. Split the table into several files."
            )
            % {"sheet": name, "rows": f"{data_rows:,}", "limit": f"{max_rows:,}"}
        )
    table = SheetTable(name, header)
    rows = sheet.to_python(skip_empty_area=False)
    for r in range(header.last_row + 1, len(rows)):
        values = list(rows[r])
        kind, extra = parse_row_kind(values, header)
        if kind == "blank":
            continue
        row = SheetRow(kind, r + 1, values)
        if kind == "section":
            row.section = extra  # type: ignore[assignment]
        elif kind == "total":
            row.total = extra  # type: ignore[assignment]
        table.rows.append(row)
    return table


def iter_data_rows(table: SheetTable) -> Iterator[SheetRow]:
    return (row for row in table.rows if row.kind == "data")
