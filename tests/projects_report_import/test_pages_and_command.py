"""The report import page, the prefilled sheet download and ``luoshi import-reports``."""

from __future__ import annotations

import io

import pytest
import python_calamine as pc
from django.core.management import CommandError, call_command

from luoshi.projects.models import MonthlyReport
from tests.orgs.factories import DEFAULT_PASSWORD
from tests.projects_excel.workbooks import write_book
from tests.projects_report_import.test_import_service import header_rows

# These tests assert the English wording of messages.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_ui")]


def client_for(client, user):
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)
    return client


def download(response) -> list[list]:
    data = b"".join(response.streaming_content)
    book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return [list(r) for r in book.get_sheet_by_index(0).to_python()]


def test_a_reporter_downloads_only_their_units_sheet(client, world):
    rows = download(
        client_for(client, world.reporter_a).get(
            f"/projects/import/reports/template.xlsx?unit={world.unit_b.pk}"
        )
    )
    names = [r[2] for r in rows[3:]]
    assert names == ["甲项目"]


def test_the_office_downloads_every_unit_or_one(client, world):
    c = client_for(client, world.office)
    assert sorted(r[2] for r in download(c.get("/projects/import/reports/template.xlsx"))[3:]) == [
        "乙项目",
        "甲项目",
    ]
    one = download(c.get(f"/projects/import/reports/template.xlsx?unit={world.unit_b.pk}"))
    assert [r[2] for r in one[3:]] == ["乙项目"]


def test_the_page_checks_then_imports(client, world, tmp_path):
    c = client_for(client, world.reporter_a)
    path = write_book(
        tmp_path / "ok.xlsx", {"S": header_rows() + [[1, "甲项目", None, "12.5", None, "基础施工"]]}
    )
    with path.open("rb") as fh:
        checked = c.post("/projects/import/reports/", {"action": "check", "file": fh})
    assert checked.status_code == 200
    assert "甲项目" in checked.content.decode()
    assert not MonthlyReport.objects.exists()
    token = checked.context["token"]
    done = c.post("/projects/import/reports/", {"action": "apply", "token": token})
    assert done.status_code == 302
    assert MonthlyReport.objects.get().investment_month == 12.5


def test_the_page_lists_the_bad_rows(client, world, tmp_path):
    c = client_for(client, world.reporter_a)
    rows = header_rows() + [
        [1, "甲项目", None, "-1", None, None],
        [2, "乙项目", None, "1", None, None],
    ]
    path = write_book(tmp_path / "bad.xlsx", {"S": rows})
    with path.open("rb") as fh:
        response = c.post("/projects/import/reports/", {"action": "check", "file": fh})
    assert response.status_code == 400
    assert len(response.context["result"].errors) == 2
    assert "import-errors" in response.content.decode()


def test_the_command_prints_every_error_and_exits_1(world, tmp_path):
    rows = header_rows() + [
        [1, "甲项目", None, "x", None, None],
        [2, "丙项目", None, "1", None, None],
    ]
    path = write_book(tmp_path / "bad.xlsx", {"S": rows})
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command(
            "import_reports",
            str(path),
            "--year",
            "2026",
            "--month",
            "10",
            "--user",
            "reporter_a",
            stdout=out,
        )
    assert exc.value.returncode == 1
    assert out.getvalue().count("ERROR") == 2


def test_the_command_imports_for_the_user(world, tmp_path):
    path = write_book(
        tmp_path / "ok.xlsx", {"S": header_rows() + [[1, "甲项目", None, "3", None, None]]}
    )
    out = io.StringIO()
    call_command(
        "import_reports",
        str(path),
        "--year",
        "2026",
        "--month",
        "10",
        "--user",
        "reporter_a",
        "--dry-run",
        stdout=out,
    )
    assert "1 reports would be started" in out.getvalue()
    assert not MonthlyReport.objects.exists()
    call_command(
        "import_reports",
        str(path),
        "--year",
        "2026",
        "--month",
        "10",
        "--user",
        "reporter_a",
        stdout=out,
    )
    assert MonthlyReport.objects.count() == 1
