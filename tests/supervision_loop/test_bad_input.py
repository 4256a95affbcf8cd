"""Issue 5's "Bad input", where the other packages left a gap: each refusal gives the precise
message on the page (and over the API), and nothing is written — no item, request, file,
history line or audit entry. Already covered elsewhere: closure without evidence and a
mislabelled feedback file on the item page (supervision_item), the same Excel twice
(supervision_api.test_excel), a late extension on the page and over the API."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.core.models import AuditEntry
from luoshi.supervision import services
from luoshi.supervision.models import (
    Attachment,
    ClosureRequest,
    ExtensionRequest,
    Item,
    ItemEvent,
)
from tests.api.conftest import bearer_client
from tests.conftest import login_client
from tests.orgs.factories import UnitFactory
from tests.supervision_item.helpers import issue, pdf, png

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_ui")]


def text(response) -> str:
    return html.unescape(response.content.decode())


def issue_form(people, **extra) -> dict:
    return {
        "source": "assignment",
        "source_ref": "",
        "title": "背街小巷改造",
        "content": "6月底前完成。",
        "lead_units": [people["unit_a"].pk],
        "cooperating_units": [people["unit_b"].pk],
        "responsible_leader": people["leader_record"].pk,
        "deadline": "2026-06-30",
        "deadline_working_days": "",
        "priority": "normal",
        **extra,
    }


def nothing_written() -> None:
    assert not Item.objects.exists()
    assert not ItemEvent.objects.exists()
    assert not AuditEntry.objects.filter(object_type="supervision.item").exists()


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.fixture
def item(people, clock, media):
    clock(dt.date(2026, 3, 2))
    it = issue(people)
    services.item_accept(actor=people["reporter"], item=it)
    return Item.objects.get(pk=it.pk)


def snapshot(item) -> tuple:
    item = Item.objects.get(pk=item.pk)
    return (item.status, item.version, item.deadline, item.events.count())


# ---------------------------------------------------------------- a deadline before issue


def test_a_deadline_before_the_issue_date_is_refused_on_the_page(people, clock):
    clock(dt.date(2026, 4, 15))
    response = login_client(people["office"]).post(
        "/supervision/issue/", issue_form(people, deadline="2026-04-14")
    )
    assert response.status_code == 400
    page = text(response)
    assert "The deadline 2026-04-14 is before the issue date 2026-04-15." in page
    assert 'value="背街小巷改造"' in page  # the office's input is kept
    nothing_written()


def test_a_deadline_before_the_issue_date_is_refused_over_the_api(people, clock):
    clock(dt.date(2026, 4, 15))
    r = bearer_client(people["office"]).post(
        "/api/v1/items",
        {
            "title": "背街小巷改造",
            "content": "6月底前完成。",
            "source": "assignment",
            "lead_unit": people["unit_a"].pk,
            "deadline": "2026-04-14",
        },
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json()["detail"] == "The deadline 2026-04-14 is before the issue date 2026-04-15."
    nothing_written()


# ---------------------------------------------------------------- an inactive unit


def test_an_inactive_lead_unit_is_named_on_the_page(people, clock):
    clock(dt.date(2026, 4, 15))
    old = UnitFactory(code="OLD", name="县旧机构", is_active=True)
    office = login_client(people["office"])
    assert "县旧机构（OLD）" in text(office.get("/supervision/issue/"))
    old.is_active = False  # closed while the form was open
    old.save()
    response = office.post(
        "/supervision/issue/", issue_form(people, lead_units=[people["unit_a"].pk, old.pk])
    )
    assert response.status_code == 400
    page = text(response)
    assert "县旧机构 is no longer active; choose an active unit." in page
    assert "not one of the available choices" not in page
    nothing_written()


def test_an_inactive_cooperating_unit_is_named_on_the_page(people, clock):
    clock(dt.date(2026, 4, 15))
    old = UnitFactory(code="OLD", name="县旧机构", is_active=False)
    response = login_client(people["office"]).post(
        "/supervision/issue/", issue_form(people, cooperating_units=[old.pk])
    )
    assert response.status_code == 400
    assert "县旧机构 is no longer active; choose an active unit." in text(response)
    nothing_written()


def test_an_inactive_lead_unit_is_refused_over_the_api(people, clock):
    clock(dt.date(2026, 4, 15))
    old = UnitFactory(code="OLD", name="县旧机构", is_active=False)
    r = bearer_client(people["office"]).post(
        "/api/v1/items",
        {
            "title": "背街小巷改造",
            "content": "6月底前完成。",
            "source": "assignment",
            "lead_unit": old.pk,
            "deadline": "2026-06-30",
        },
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json()["detail"] == "县旧机构 is no longer active; choose an active unit."
    nothing_written()


def test_an_unknown_unit_id_still_gets_the_usual_message(people, clock):
    clock(dt.date(2026, 4, 15))
    response = login_client(people["office"]).post(
        "/supervision/issue/", issue_form(people, lead_units=[999999])
    )
    assert response.status_code == 400
    assert "999999 is not one of the available choices" in text(response)
    nothing_written()


# ---------------------------------------------------------------- a transition not allowed


def test_verifying_an_item_without_a_closure_request_is_refused(item, people):
    before = snapshot(item)
    response = login_client(people["office"]).post(
        f"/supervision/items/{item.pk}/verify/", {"verify-note": "同意销号"}
    )
    assert response.status_code == 400
    assert "This item is Accepted; there is no closure request to verify." in text(response)
    assert snapshot(item) == before

    r = bearer_client(people["office"]).post(
        f"/api/v1/items/{item.pk}/closure/verify", {"note": "同意"}, "application/json"
    )
    assert r.status_code == 400
    assert r.json()["detail"] == "This item is Accepted; there is no closure request to verify."
    assert snapshot(item) == before


def test_a_closed_item_takes_no_more_feedback_or_closure(item, people, media):
    services.closure_request(actor=people["reporter"], item=item, summary="完工", uploads=[pdf()])
    services.closure_verify(actor=people["office"], item=Item.objects.get(pk=item.pk), note="")
    before, stored = snapshot(item), files_under(media)
    unit = login_client(people["reporter"])
    response = unit.post(
        f"/supervision/items/{item.pk}/feedback/",
        {"feedback-text": "补充进展", "feedback-files": [SimpleUploadedFile(*png())]},
    )
    assert response.status_code == 400
    assert "This item is Closed; progress feedback cannot be posted now." in text(response)
    response = unit.post(
        f"/supervision/items/{item.pk}/closure/",
        {"closure-summary": "再次申请", "closure-files": [SimpleUploadedFile(*pdf())]},
    )
    assert response.status_code == 400
    assert "This item is Closed; closure cannot be requested now." in text(response)
    assert snapshot(item) == before
    assert ClosureRequest.objects.count() == 1
    assert files_under(media) == stored  # the refused uploads left no file behind


# ---------------------------------------------------------------- closure without evidence


def test_closure_without_evidence_over_the_api_writes_nothing(item, people, media):
    before = snapshot(item)
    r = bearer_client(people["reporter"]).post(
        f"/api/v1/items/{item.pk}/closure", {"summary": "主体工程已完工。"}
    )
    assert r.status_code == 400
    assert r.json()["detail"] == (
        "Attach the evidence (a document or a photo) before requesting closure."
    )
    assert snapshot(item) == before
    assert not ClosureRequest.objects.exists() and not files_under(media)


# ---------------------------------------------------------------- a mislabelled attachment


def test_evidence_that_is_not_what_its_name_says_refuses_the_whole_request(item, people, media):
    before = snapshot(item)
    response = login_client(people["reporter"]).post(
        f"/supervision/items/{item.pk}/closure/",
        {
            "closure-summary": "主体工程已完工。",
            "closure-files": [
                SimpleUploadedFile(*pdf()),
                SimpleUploadedFile("竣工照片.docx", png()[1]),
            ],
        },
    )
    assert response.status_code == 400
    page = text(response)
    assert (
        "竣工照片.docx is not what its name says: the name says Word (.docx), the content is PNG."
        in page
    )
    assert "主体工程已完工。</textarea>" in page
    assert snapshot(item) == before
    assert not ClosureRequest.objects.exists() and not Attachment.objects.exists()
    assert not files_under(media)  # the good PDF was not kept either


# ---------------------------------------------------------------- a late extension


def test_a_late_extension_without_leave_writes_no_request(item, people, clock):
    clock(dt.date(2026, 4, 2))  # the deadline 2026-03-31 has passed
    before = snapshot(item)
    response = login_client(people["reporter"]).post(
        f"/supervision/items/{item.pk}/extension/",
        {"extension-requested_deadline": "2026-04-30", "extension-reason": "材料延迟到货"},
    )
    assert response.status_code == 400
    assert "The deadline 2026-03-31 has passed" in text(response)
    assert snapshot(item) == before
    assert not ExtensionRequest.objects.exists()
