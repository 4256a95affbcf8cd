"""Files refused as a whole: each with the precise reason, nothing written."""

from __future__ import annotations

import zipfile

import pytest

from luoshi.projects.excel import reader
from luoshi.projects.models import Project
from luoshi.projects.services_import import import_projects
from tests.projects_excel.workbooks import county_book, project_row, section, write_book

pytestmark = pytest.mark.django_db


def refusal(path, officer) -> str:
    result = import_projects(actor=officer, file=path, year=2026, dry_run=False)
    assert len(result.errors) == 1 and not result.applied
    assert Project.objects.count() == 0
    return result.errors[0].message


def test_a_text_file_named_xlsx_is_not_a_workbook(tmp_path, county, officer):
    path = tmp_path / "list.xlsx"
    path.write_text("序号,项目名称\n1,甲\n", encoding="utf-8")
    assert "not an Excel workbook" in refusal(path, officer)


def test_a_truncated_workbook_is_reported_damaged(tmp_path, county, officer):
    good = county_book(tmp_path / "good.xlsx", [section("一、工业项目"), project_row(1, "甲")])
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(good.read_bytes()[:1500])
    assert "damaged" in refusal(damaged, officer)


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path, county, officer):
    path = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    assert "not an Excel workbook" in refusal(path, officer)


def test_a_workbook_with_macros_is_refused(tmp_path, county, officer):
    path = county_book(tmp_path / "macro.xlsm", [section("一、工业项目"), project_row(1, "甲")])
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 fake macro storage")
    assert "macros" in refusal(path, officer)


def test_an_old_xls_or_encrypted_file_is_told_to_save_as_xlsx(tmp_path, county, officer):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert ".xlsx" in refusal(path, officer)


def test_a_sheet_without_a_recognisable_header_names_the_expected_ones(tmp_path, county, officer):
    path = write_book(tmp_path / "h.xlsx", {"S": [["名单"], ["张三", "李四"], ["1", "2"]]})
    message = refusal(path, officer)
    assert "项目名称" in message and "责任单位" in message


def test_a_sheet_over_the_row_limit_is_refused_before_reading_its_rows(
    tmp_path, county, officer, monkeypatch
):
    data = [section("一、工业项目")] + [
        project_row(i, f"项目{i}", f"R-{i}") for i in range(1, reader.MAX_DATA_ROWS + 1)
    ]
    path = county_book(tmp_path / "big.xlsx", data)
    converted = []
    real = reader.parse_row_kind
    monkeypatch.setattr(reader, "parse_row_kind", lambda *a: converted.append(1) or real(*a))
    message = refusal(path, officer)
    assert "5,001" in message and "5,000" in message
    assert len(converted) < 20  # only the header rows were looked at


def test_an_empty_file_is_refused(tmp_path, county, officer):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert "empty" in refusal(path, officer)
