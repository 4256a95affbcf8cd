"""``luoshi import-projects`` and ``luoshi export-projects``."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from luoshi.projects.models import Project
from tests.projects_excel.workbooks import county_book, project_row, section

pytestmark = pytest.mark.django_db


def test_a_dry_run_prints_the_summary_and_writes_nothing(tmp_path, county):
    path = county_book(tmp_path / "ok.xlsx", [section("一、工业项目"), project_row(1, "甲", "K-1")])
    out = io.StringIO()
    call_command("import_projects", str(path), "--year", "2026", "--dry-run", stdout=out)
    assert "1 projects would be created" in out.getvalue()
    assert "create  重点项目 row 6: K-1 甲" in out.getvalue()
    assert Project.objects.count() == 0


def test_errors_are_printed_and_the_command_fails(tmp_path, county):
    path = county_book(
        tmp_path / "bad.xlsx", [section("一、工业项目"), project_row(1, "甲", total="-5")]
    )
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_projects", str(path), "--year", "2026", stdout=out)
    assert exc.value.returncode == 1
    assert "ERROR   重点项目 row 6 E (总投资) [-5]" in out.getvalue()
    assert Project.objects.count() == 0


def test_an_import_as_a_user_is_recorded_for_that_user(tmp_path, county, officer):
    from luoshi.core.models import AuditEntry

    path = county_book(tmp_path / "ok.xlsx", [section("一、工业项目"), project_row(1, "甲", "K-1")])
    call_command(
        "import_projects",
        str(path),
        "--year=2026",
        "--user",
        officer.username,
        stdout=io.StringIO(),
    )
    assert AuditEntry.objects.get(action="create").actor_id == officer.pk


def test_export_writes_the_file(tmp_path, county):
    path = county_book(tmp_path / "ok.xlsx", [section("一、工业项目"), project_row(1, "甲", "K-1")])
    call_command("import_projects", str(path), "--year", "2026", stdout=io.StringIO())
    out_path = tmp_path / "out.xlsx"
    out = io.StringIO()
    call_command("export_projects", "--year", "2026", "-o", str(out_path), stdout=out)
    assert "1 projects written" in out.getvalue()
    ws = openpyxl.load_workbook(out_path).active
    assert ws["B7"].value == "K-1"
