"""Workbooks the way counties really send them, built in code: a title row, merged
two-row headers in shuffled order, section rows, a 合计 row, numbers as text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter

Merge = tuple[int, int, int, int]  # first_row, first_col, last_row, last_col (0-based)


def write_book(
    path: Path,
    sheets: dict[str, list[list[Any]]],
    merges: dict[str, list[Merge]] | None = None,
) -> Path:
    """Write ``sheets`` (rows of cell values, None for empty) and merge the given ranges,
    each keeping the value of its top-left cell, as Excel does."""
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
        for r1, c1, r2, c2 in (merges or {}).get(name, []):
            value = rows[r1][c1] if c1 < len(rows[r1]) else None
            sheet.merge_range(r1, c1, r2, c2, value if value is not None else "")
    workbook.close()
    return path


# Header of the county sample, columns deliberately not in the export's order:
# A 序号 | B 项目名称 | C 项目编号 | D 责任单位 | E–F 投资情况（万元）: 总投资, 2026年计划投资 |
# G 建设内容及规模 | H 建设起止年限 | I 建设性质 | J 责任领导 | K 配合单位
HEADER_TOP = [
    "序号",
    "项目名称",
    "项目编号",
    "责任单位",
    "投资情况（万元）",
    None,
    "建设内容及规模",
    "建设起止年限",
    "建设性质",
    "责任领导",
    "配合单位",
]
HEADER_SUB = [None, None, None, None, "总投资", "2026年计划投资", None, None, None, None, None]
HEADER_MERGES: list[Merge] = [
    (0, 0, 0, 10),  # title
    (2, 0, 3, 0),
    (2, 1, 3, 1),
    (2, 2, 3, 2),
    (2, 3, 3, 3),
    (2, 4, 2, 5),  # 投资情况 over 总投资 and 计划投资
    (2, 6, 3, 6),
    (2, 7, 3, 7),
    (2, 8, 3, 8),
    (2, 9, 3, 9),
    (2, 10, 3, 10),
]


def county_rows(data: list[list[Any]], *, total: list[Any] | None = None) -> list[list[Any]]:
    """Title, unit note, the two header rows, an optional 合计 row, then ``data``."""
    rows: list[list[Any]] = [
        ["2026年全县重点项目表"] + [None] * 10,
        [None] * 9 + ["单位：万元", None],
        list(HEADER_TOP),
        list(HEADER_SUB),
    ]
    if total is not None:
        rows.append(total)
    rows.extend(data)
    return rows


def county_book(path: Path, data: list[list[Any]], *, total: list[Any] | None = None) -> Path:
    return write_book(
        path, {"重点项目": county_rows(data, total=total)}, {"重点项目": HEADER_MERGES}
    )


def project_row(
    seq: Any,
    name: str,
    code: Any = None,
    unit: str = "发改局",
    total: Any = "1,234.50",
    plan: Any = 600,
    content: str = "新建厂房2万平方米",
    years: Any = "2025-2027",
    stage: Any = "续建",
    leaders: Any = "张三",
    coop: Any = None,
) -> list[Any]:
    return [seq, name, code, unit, total, plan, content, years, stage, leaders, coop]


def section(text: str) -> list[Any]:
    return [text] + [None] * 10
