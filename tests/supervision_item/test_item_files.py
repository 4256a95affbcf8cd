"""Attachments served only to who may see the item, under their original (Chinese) name;
the 督办单 as a Word document holding the item; the page's query count does not grow with
the item's history."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from luoshi.supervision import services
from luoshi.supervision.models import Attachment
from tests.conftest import login_client
from tests.orgs.factories import LeaderFactory, UserFactory
from tests.supervision_item.helpers import issue, pdf, png

pytestmark = pytest.mark.django_db


def _with_feedback(item, people, n: int):
    services.item_accept(actor=people["reporter"], item=item)
    for i in range(n):
        services.feedback_post(
            actor=people["reporter"] if i % 2 else people["coop"],
            item=item,
            text=f"第{i + 1}次进展",
            uploads=[png(f"照片{i + 1}.png")],
        )
        services.item_remind(actor=people["office"], item=item, note=f"催办{i + 1}")
    return item


def test_an_attachment_downloads_under_its_chinese_name(item, people):
    services.item_accept(actor=people["reporter"], item=item)
    services.feedback_post(actor=people["reporter"], item=item, text="见附件", uploads=[pdf()])
    attachment = Attachment.objects.get()
    response = login_client(people["coop"]).get(f"/supervision/items/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('验收报告.pdf')}" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == pdf()[1]


def test_an_attachment_is_a_404_to_another_unit_and_to_other_leaders(item, people):
    services.item_accept(actor=people["reporter"], item=item)
    services.feedback_post(actor=people["reporter"], item=item, text="见附件", uploads=[pdf()])
    link = f"/supervision/items/attachments/{Attachment.objects.get().pk}/"
    assert login_client(people["stranger"]).get(link).status_code == 404
    other_leader = UserFactory(username="l2", roles=["leader"], leader=LeaderFactory(name="李明"))
    assert login_client(other_leader).get(link).status_code == 404
    # the responsible leader may read it
    assert login_client(people["leader"]).get(link).status_code == 200


def test_a_unit_sees_items_it_leads_or_cooperates_on_only(people, clock, media):
    clock(dt.date(2026, 3, 2))
    mine = issue(people)
    theirs = issue(people, lead_unit=people["unit_c"], cooperating_units=[])
    rep, coop = login_client(people["reporter"]), login_client(people["coop"])
    assert rep.get(f"/supervision/items/{mine.pk}/").status_code == 200
    assert coop.get(f"/supervision/items/{mine.pk}/").status_code == 200
    assert rep.get(f"/supervision/items/{theirs.pk}/").status_code == 404
    assert coop.get(f"/supervision/items/{theirs.pk}/notice.docx").status_code == 404


def test_the_notice_is_a_word_document_with_the_item(item, people):
    response = login_client(people["office"]).get(f"/supervision/items/{item.pk}/notice.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert "filename*=utf-8''" in response["Content-Disposition"]
    doc = Document(io.BytesIO(response.content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    body = "\n".join([p.text for p in doc.paragraphs] + cells)
    for expected in (
        "督办",
        item.code,
        "城区污水管网改造",
        "6月底前完成主体工程。",
        "县发展和改革局",
        "县交通运输局",
        "王强",
        "2026",
        item.decision.meeting.title,
    ):
        assert expected in body, expected
    assert "签收" in body  # the receipt lines the unit signs


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["office", "reporter", "coop"])
def test_page_queries_do_not_grow_with_feedback_and_events(people, clock, media, who):
    clock(dt.date(2026, 3, 2))
    one = _with_feedback(issue(people), people, 1)
    many = _with_feedback(issue(people), people, 20)
    client = login_client(people[who])
    _count(client, f"/supervision/items/{one.pk}/")  # warm the session and caches
    small = _count(client, f"/supervision/items/{one.pk}/")
    big = _count(client, f"/supervision/items/{many.pk}/")
    assert small == big
    assert big <= 20
