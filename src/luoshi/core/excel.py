"""Writing Excel (.xlsx) files the way the office reads them: a title row, a frozen header,
sensible column widths. Rows stream through xlsxwriter's ``constant_memory`` mode into a
temporary file, so a 100,000-row export does not sit in the server's memory."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from django.http import FileResponse
from django.utils import timezone


@dataclass(frozen=True)
class Column:
    """One column: its header (already translated) and width in Excel character units.
    ``wrap`` lets long text (such as a list of changes) break over lines."""

    header: str
    width: float = 14
    wrap: bool = False


def _excel_value(value: Any) -> Any:
    if isinstance(value, datetime):
        # Excel has no time zones: show the office's local time.
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)  # written as a number cell; the source stays Decimal
    return value


def write_table(
    fh: IO[bytes],
    *,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    sheet_name: str = "Sheet1",
    note: str = "",
) -> int:
    """Write one sheet to ``fh``: a merged title row, a bold frozen header with a filter,
    then ``rows``. Returns the number of data rows written."""
    workbook = xlsxwriter.Workbook(
        fh, {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    try:
        sheet = workbook.add_worksheet(sheet_name[:31])
        title_fmt = workbook.add_format(
            {"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}
        )
        note_fmt = workbook.add_format({"italic": True, "font_color": "#5d6675"})
        head_fmt = workbook.add_format(
            {
                "bold": True,
                "bg_color": "#EEF1F6",
                "border": 1,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            }
        )
        cell_fmt = workbook.add_format({"valign": "top", "border": 1})
        wrap_fmt = workbook.add_format({"valign": "top", "border": 1, "text_wrap": True})
        dt_fmt = workbook.add_format(
            {"valign": "top", "border": 1, "num_format": "yyyy-mm-dd hh:mm:ss"}
        )
        date_fmt = workbook.add_format({"valign": "top", "border": 1, "num_format": "yyyy-mm-dd"})

        for i, col in enumerate(columns):
            sheet.set_column(i, i, col.width)
        last_col = len(columns) - 1
        # constant_memory writes row by row: everything goes strictly top to bottom.
        sheet.set_row(0, 24)
        if last_col > 0:
            sheet.merge_range(0, 0, 0, last_col, title, title_fmt)
        else:
            sheet.write_string(0, 0, title, title_fmt)
        header_row = 1
        if note:
            sheet.write_string(1, 0, note, note_fmt)
            header_row = 2
        for i, col in enumerate(columns):
            sheet.write_string(header_row, i, col.header, head_fmt)
        sheet.freeze_panes(header_row + 1, 0)

        written = 0
        r = header_row
        for row in rows:
            r += 1
            for c, raw in enumerate(row):
                value = _excel_value(raw)
                if value is None or value == "":
                    sheet.write_blank(r, c, None, cell_fmt)
                elif isinstance(value, datetime):
                    sheet.write_datetime(r, c, value, dt_fmt)
                elif isinstance(value, date):
                    sheet.write_datetime(r, c, value, date_fmt)
                elif isinstance(value, bool):
                    sheet.write_boolean(r, c, value, cell_fmt)
                elif isinstance(value, int | float):
                    sheet.write_number(r, c, value, cell_fmt)
                else:
                    sheet.write_string(r, c, str(value), wrap_fmt if columns[c].wrap else cell_fmt)
            written += 1
        sheet.autofilter(header_row, 0, max(r, header_row), last_col)
    finally:
        workbook.close()
    return written


def xlsx_response(
    *,
    filename: str,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    **kwargs: Any,
) -> tuple[FileResponse, int]:
    """Write the table to a temporary file and stream it back as a download. The file
    disappears when the response closes it. Returns the response and the row count."""
    fh = tempfile.TemporaryFile(suffix=".xlsx")
    try:
        written = write_table(fh, title=title, columns=columns, rows=rows, **kwargs)
        fh.seek(0)
    except BaseException:
        fh.close()
        raise
    response = FileResponse(
        fh,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return response, written
