"""A ledger too large to write during the request is written by the worker (core.exports):
the office is sent to "My exports", told in Notifications when the file is ready, and it
alone can download it; a writer's failure is recorded and told; old files are deleted."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import python_calamine as pc

from luoshi.core import exports
from luoshi.core.models import Export, ExportStatus, Notification
from luoshi.supervision import excel_export
from luoshi.supervision.choices import ItemStatus
from tests.conftest import login_client
from tests.supervision.factories import ItemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_ui")]


@pytest.fixture
def three_items(people, clock, monkeypatch):
    clock(dt.date(2026, 4, 7))
    monkeypatch.setattr(excel_export, "EXPORT_NOW_MAX", 2)
    monkeypatch.setattr("luoshi.supervision.views_excel.EXPORT_NOW_MAX", 2)
    for title in ("甲", "乙", "丙"):
        ItemFactory(lead_unit=people["unit_a"], status=ItemStatus.IN_PROGRESS, title=title)


def _rows(content: bytes) -> list[list]:
    return pc.CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def test_a_large_ledger_is_written_in_the_background_for_its_owner_alone(
    people, three_items, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    office = login_client(people["office"])
    with django_capture_on_commit_callbacks(execute=True):
        r = office.get("/supervision/ledger.xlsx?status=in_progress")
    assert r.status_code == 302 and r["Location"] == "/core/exports/"
    page = office.get(r["Location"]).content.decode()
    assert "The ledger holds 3 items: it is being prepared in the background." in page
    export = Export.objects.get()
    assert export.owner == people["office"] and export.status == ExportStatus.DONE
    assert export.rows == 3 and export.params["status"] == "in_progress"
    assert "Ready" in page and f"/core/exports/{export.pk}/download/" in page
    note = Notification.objects.get(recipient=people["office"], kind="export")
    assert note.title.startswith("Export ready: Supervision item ledger")
    assert note.link == "/core/exports/"

    download = office.get(f"/core/exports/{export.pk}/download/")
    assert download.status_code == 200
    rows = _rows(b"".join(download.streaming_content))
    assert sorted(row[2] for row in rows[3:]) == ["丙", "乙", "甲"]
    # Nobody else finds it, not even another officer.
    for other in (people["reporter"], people["leader"]):
        assert login_client(other).get(f"/core/exports/{export.pk}/download/").status_code == 404
    assert "甲" not in login_client(people["reporter"]).get("/core/exports/").content.decode()


def test_a_small_ledger_still_downloads_at_once(people, clock):
    clock(dt.date(2026, 4, 7))
    ItemFactory(lead_unit=people["unit_a"], status=ItemStatus.IN_PROGRESS)
    r = login_client(people["office"]).get("/supervision/ledger.xlsx")
    assert r.status_code == 200 and not Export.objects.exists()


def test_a_failed_export_is_recorded_and_told(
    people, three_items, django_capture_on_commit_callbacks, settings, tmp_path, monkeypatch
):
    settings.DATA_DIR = tmp_path

    def broken(fh, user, params):
        raise RuntimeError("disk full")

    monkeypatch.setitem(exports._WRITERS, excel_export.LEDGER_EXPORT, broken)
    office = login_client(people["office"])
    with django_capture_on_commit_callbacks(execute=True):
        office.get("/supervision/ledger.xlsx")
    export = Export.objects.get()
    assert export.status == ExportStatus.FAILED and export.error == "disk full"
    assert office.get(f"/core/exports/{export.pk}/download/").status_code == 404
    assert Notification.objects.get(kind="export").title.startswith("Export failed")
    assert list((tmp_path / "exports").iterdir()) == []  # no half-written file left


def test_running_an_export_twice_writes_it_once(
    people, three_items, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        login_client(people["office"]).get("/supervision/ledger.xlsx")
    export = Export.objects.get()
    assert exports.export_run(export.pk) is None
    assert len(list((tmp_path / "exports").iterdir())) == 1
    assert Notification.objects.filter(kind="export").count() == 1


def test_exports_past_their_keeping_are_deleted_with_their_file(
    people, three_items, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        login_client(people["office"]).get("/supervision/ledger.xlsx")
    export = Export.objects.get()
    assert exports.exports_prune(today=export.created_at.date()) == 0
    later = export.created_at.date() + dt.timedelta(days=exports.KEEP_DAYS + 1)
    assert exports.exports_prune(today=later) == 1
    assert not Export.objects.exists() and list((tmp_path / "exports").iterdir()) == []


def test_my_exports_refreshes_itself_while_a_file_is_being_prepared(people):
    from luoshi.core.models import Export

    Export.objects.create(owner=people["office"], kind=excel_export.LEDGER_EXPORT, title="台账")
    page = login_client(people["office"]).get("/core/exports/").content.decode()
    assert 'hx-trigger="every 5s"' in page and "Waiting…" in page and "Download" not in page
    Export.objects.update(status=ExportStatus.DONE, rows=0, file_name="gone.xlsx")
    page = login_client(people["office"]).get("/core/exports/").content.decode()
    assert 'hx-trigger="every 5s"' not in page
