"""The import page: check first (nothing written), then import the checked file."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.projects.models import Project
from tests.projects_excel.workbooks import county_book, project_row, section

# These tests assert the English wording of messages.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_ui")]


def upload(path):
    return SimpleUploadedFile(path.name, path.read_bytes())


def test_checking_a_file_with_errors_shows_every_bad_cell_and_writes_nothing(
    tmp_path, county, officer, make_client
):
    path = county_book(
        tmp_path / "bad.xlsx",
        [
            section("一、工业项目"),
            project_row(1, "甲", total="abc"),
            project_row(2, "乙", unit="某局"),
        ],
    )
    client = make_client(officer)
    response = client.post(
        "/projects/import/", {"action": "check", "year": 2026, "file": upload(path)}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "abc" in html and "某局" in html
    assert html.count("<tr>") == 3  # the header row and one row per bad cell
    assert 'value="apply"' not in html
    assert Project.objects.count() == 0


def test_check_then_import_creates_the_projects(tmp_path, county, officer, make_client):
    path = county_book(tmp_path / "ok.xlsx", [section("一、工业项目"), project_row(1, "甲", "K-1")])
    client = make_client(officer)
    response = client.post(
        "/projects/import/", {"action": "check", "year": 2026, "file": upload(path)}
    )
    assert response.status_code == 200
    assert Project.objects.count() == 0
    token = response.context["token"]
    response = client.post("/projects/import/", {"action": "apply", "token": token})
    assert response.status_code == 302
    assert Project.objects.get().code == "K-1"
    # the stored file is gone: a second "import" cannot replay it
    response = client.post("/projects/import/", {"action": "apply", "token": token}, follow=True)
    assert Project.objects.count() == 1
    assert "no longer available" in response.content.decode()


def test_another_sessions_token_is_refused(tmp_path, county, officer, make_client):
    path = county_book(tmp_path / "ok.xlsx", [section("一、工业项目"), project_row(1, "甲", "K-1")])
    first = make_client(officer)
    token = first.post(
        "/projects/import/", {"action": "check", "year": 2026, "file": upload(path)}
    ).context["token"]
    other = make_client(officer)
    other.post("/projects/import/", {"action": "apply", "token": token})
    assert Project.objects.count() == 0


def test_the_page_offers_upload_and_export(officer, make_client):
    html = make_client(officer).get("/projects/import/").content.decode()
    assert 'type="file"' in html and "/projects/import/export.xlsx" in html
