"""The supervision API: the whole loop through HTTP, the same refusals and scope as the
pages, filters, attachments, and query counts that do not grow with the data."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from luoshi.supervision import services
from luoshi.supervision.choices import ItemSource, ItemStatus
from luoshi.supervision.models import Attachment, Item, Meeting, Reminder
from tests.api.conftest import bearer_client
from tests.helpers import assert_queries_independent_of_size
from tests.supervision.factories import DecisionFactory, ItemFactory, MeetingFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_ui")]


def png(name: str = "现场照片.png") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def pdf(name: str = "验收报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


@pytest.fixture
def api(people):
    return {
        k: bearer_client(people[k]) for k in ("office", "leader", "reporter", "coop", "stranger")
    }


def issue_payload(people, **extra) -> dict:
    return {
        "title": "城区污水管网改造",
        "content": "6月底前完成主体工程。",
        "source": "assignment",
        "source_ref": "市督字〔2026〕3号",
        "lead_unit": people["unit_a"].pk,
        "cooperating_units": [people["unit_b"].pk],
        "responsible_leader": people["leader_record"].pk,
        "issued_on": "2026-03-02",
        "deadline": "2026-03-31",
        **extra,
    }


def test_the_whole_loop_over_the_api(people, api, clock):
    clock(dt.date(2026, 3, 2))
    r = api["office"].post("/api/v1/items", issue_payload(people), content_type="application/json")
    assert r.status_code == 201, r.content
    item = r.json()
    assert (item["code"], item["status"], item["lamp"]) == ("DB2026-00001", "issued", "green")
    assert [u["name"] for u in item["cooperating_units"]] == ["县交通运输局"]
    url = f"/api/v1/items/{item['id']}"

    clock(dt.date(2026, 3, 3))
    body = api["reporter"].post(f"{url}/accept").json()
    assert (body["status"], body["accepted_on"]) == ("accepted", "2026-03-03")

    clock(dt.date(2026, 3, 10))
    r = api["reporter"].post(f"{url}/feedback", {"text": "已完成管材招标。", "files": [png()]})
    assert r.status_code == 201, r.content
    assert len(r.json()["attachments"]) == 1
    r = api["coop"].post(f"{url}/feedback", {"text": "配合完成交通导改方案。"})
    assert r.status_code == 201

    clock(dt.date(2026, 3, 20))
    r = api["reporter"].post(f"{url}/closure", {"summary": "主体完工。"})
    assert r.status_code == 400
    assert "Attach the evidence" in r.json()["detail"]
    r = api["reporter"].post(f"{url}/closure", {"summary": "主体完工。", "files": [pdf()]})
    assert r.json()["status"] == "closure_requested"
    assert r.json()["status_label"] == "Awaiting verification"  # as the unit reads it
    r = api["office"].post(
        f"{url}/closure/return", {"reason": "缺少验收材料。"}, content_type="application/json"
    )
    assert r.json()["status"] == "returned"

    clock(dt.date(2026, 3, 25))
    api["reporter"].post(f"{url}/closure", {"summary": "已补充。", "files": [pdf("补充.pdf")]})
    r = api["office"].post(f"{url}/closure/verify", {}, content_type="application/json")
    body = r.json()
    assert (body["status"], body["lamp"], body["closed_on"]) == ("closed", "done", "2026-03-25")
    assert [c["status"] for c in body["closures"]] == ["approved", "refused"]
    assert len(body["attachments"]) == 3

    r = api["office"].post(f"{url}/reopen", {"reason": "群众反映未完工。"}, "application/json")
    assert (r.json()["status"], r.json()["reopen_count"]) == ("in_progress", 1)


def test_a_unit_sees_only_its_items_and_others_get_404(people, api):
    own = ItemFactory(lead_unit=people["unit_a"])
    coop = ItemFactory(lead_unit=people["unit_c"])
    coop.cooperating_units.add(people["unit_a"])
    ItemFactory(lead_unit=people["unit_b"])
    codes = {i["code"] for i in api["reporter"].get("/api/v1/items").json()["items"]}
    assert codes == {own.code, coop.code}
    assert api["stranger"].get(f"/api/v1/items/{own.pk}").status_code == 404
    assert api["stranger"].post(f"/api/v1/items/{own.pk}/accept").status_code == 404
    assert api["office"].get("/api/v1/items").json()["count"] == 3
    # the leader sees what they answer for
    own.responsible_leader = people["leader_record"]
    own.save()
    assert [i["code"] for i in api["leader"].get("/api/v1/items").json()["items"]] == [own.code]


def test_refusals_answer_the_services_message_and_change_nothing(people, api, clock):
    clock(dt.date(2026, 3, 2))
    r = api["office"].post(
        "/api/v1/items",
        issue_payload(people, deadline="2026-02-27"),
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json()["detail"] == "The deadline 2026-02-27 is before the issue date 2026-03-02."
    r = api["reporter"].post(
        "/api/v1/items", issue_payload(people), content_type="application/json"
    )
    assert r.status_code == 403
    assert not Item.objects.exists()

    item = ItemFactory(lead_unit=people["unit_a"], status=ItemStatus.ACCEPTED)
    url = f"/api/v1/items/{item.pk}"
    assert api["reporter"].post(f"{url}/accept").json()["detail"] == (
        "This item is Accepted; it cannot be accepted."
    )
    bad = SimpleUploadedFile("报告.pdf", b"\x7fELF\x02\x01\x01")
    r = api["reporter"].post(f"{url}/feedback", {"text": "进展", "files": [bad]})
    assert r.status_code == 400
    assert "program" in r.json()["detail"]
    assert api["office"].post(f"{url}/accept").status_code == 403
    r = api["reporter"].post(
        f"{url}/extensions",
        {"requested_deadline": "2026-02-01", "reason": "x"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "after the current deadline" in r.json()["detail"]
    r = api["office"].post(f"{url}/remind", {"note": ""}, content_type="application/json")
    assert r.status_code == 400
    item.refresh_from_db()
    assert (item.status, item.version) == (ItemStatus.ACCEPTED, 1)
    assert not Attachment.objects.exists() and not Reminder.objects.exists()


def test_extension_late_leave_and_reminder(people, api, clock):
    clock(dt.date(2026, 4, 7))  # after the deadline of 2026-03-31
    item = ItemFactory(lead_unit=people["unit_a"], status=ItemStatus.IN_PROGRESS)
    url = f"/api/v1/items/{item.pk}"
    ask = {"requested_deadline": "2026-04-30", "reason": "雨季停工。"}
    r = api["reporter"].post(f"{url}/extensions", ask, content_type="application/json")
    assert r.status_code == 400 and "leave" in r.json()["detail"]
    assert api["office"].post(f"{url}/late-extension", {}, "application/json").status_code == 200
    r = api["reporter"].post(f"{url}/extensions", ask, content_type="application/json")
    assert r.status_code == 201
    ext = r.json()["id"]
    r = api["office"].post(
        f"{url}/extensions/{ext}/decide", {"approve": True}, content_type="application/json"
    )
    assert r.json()["deadline"] == "2026-04-30"
    r = api["office"].post(f"{url}/remind", {"note": "请加快。"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["note"] == "请加快。"


def test_item_filters(people, api, clock):
    clock(dt.date(2026, 4, 7))
    late = ItemFactory(lead_unit=people["unit_a"], status=ItemStatus.IN_PROGRESS)
    fine = ItemFactory(
        lead_unit=people["unit_b"],
        status=ItemStatus.IN_PROGRESS,
        source=ItemSource.HOTLINE,
        deadline=dt.date(2026, 6, 30),
        last_feedback_on=dt.date(2026, 4, 3),
        responsible_leader=people["leader_record"],
    )
    done = ItemFactory(lead_unit=people["unit_a"], status=ItemStatus.CLOSED)

    def codes(**params):
        r = api["office"].get("/api/v1/items", params)
        assert r.status_code == 200, r.content
        return [i["code"] for i in r.json()["items"]]

    assert codes(lamp="red") == [late.code]
    assert codes(lamp="green") == [fine.code]
    assert codes(overdue="true") == [late.code]
    assert codes(status="closed") == [done.code]
    assert codes(source="hotline") == [fine.code]
    assert codes(unit=people["unit_b"].pk) == [fine.code]
    assert codes(leader=people["leader_record"].pk) == [fine.code]
    body = api["office"].get("/api/v1/items", {"lamp": "red"}).json()["items"][0]
    assert body["lamp_reason"] == "Overdue: the deadline was 2026-03-31, 7 days ago."
    assert api["office"].get("/api/v1/items", {"lamp": "purple"}).status_code == 422
    assert codes(page_size=1, page=2) == [done.code] or len(codes(page_size=1, page=2)) == 1


def test_attachment_download_follows_the_item_scope(people, api, clock):
    clock(dt.date(2026, 3, 10))
    item = ItemFactory(lead_unit=people["unit_a"], status=ItemStatus.ACCEPTED)
    services.feedback_post(
        actor=people["reporter"], item=item, text="进展", uploads=[("照片.png", png().read())]
    )
    a = Attachment.objects.get()
    url = f"/api/v1/items/{item.pk}/attachments/{a.pk}"
    r = api["reporter"].get(url)
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert b"".join(r.streaming_content).startswith(b"\x89PNG")
    assert api["stranger"].get(url).status_code == 404
    assert api["office"].get(f"/api/v1/items/{item.pk + 1}/attachments/{a.pk}").status_code == 404


def test_meetings_and_decisions(people, api):
    r = api["office"].post(
        "/api/v1/meetings",
        {
            "kind": "standing",
            "title": "县政府第5次常务会议",
            "held_on": "2026-03-02",
            "presider": people["leader_record"].pk,
            "attending_units": [people["unit_a"].pk, people["unit_b"].pk],
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    m = r.json()
    assert m["kind_label"] == "Executive meeting" and len(m["attending_units"]) == 2
    url = f"/api/v1/meetings/{m['id']}"
    d = api["office"].post(f"{url}/decisions", {"content": "加快推进。"}, "application/json").json()
    assert d["number"] == 1
    r = api["office"].put(
        f"{url}/decisions/{d['id']}", {"content": "全力推进。"}, content_type="application/json"
    )
    assert r.json()["content"] == "全力推进。"
    r = api["office"].put(
        url,
        {"kind": "progress", "title": "推进会", "held_on": "2026-03-03"},
        content_type="application/json",
    )
    assert r.json()["kind"] == "progress" and r.json()["decisions"][0]["content"] == "全力推进。"
    assert api["leader"].get(url).status_code == 200
    assert api["reporter"].get("/api/v1/meetings").status_code == 403
    # a decision an item came from stays
    ItemFactory(decision_id=d["id"], source=ItemSource.MEETING)
    r = api["office"].delete(f"{url}/decisions/{d['id']}")
    assert r.status_code == 400 and "cannot be deleted" in r.json()["detail"]
    assert api["office"].get("/api/v1/meetings", {"year": 2026}).json()["count"] == 1
    assert Meeting.objects.get().title == "推进会"


def test_item_list_queries_do_not_grow(people, api, clock):
    clock(dt.date(2026, 4, 7))

    def grow():
        for _ in range(30):
            item = ItemFactory(
                lead_unit=people["unit_a"], responsible_leader=people["leader_record"]
            )
            item.cooperating_units.add(people["unit_b"])

    grow()
    for client in (api["office"], api["reporter"]):
        assert_queries_independent_of_size(
            lambda c=client: c.get("/api/v1/items", {"page_size": 200}), grow
        )


def test_item_detail_and_meeting_queries_do_not_grow(people, api, clock):
    clock(dt.date(2026, 3, 10))
    item = ItemFactory(lead_unit=people["unit_a"], status=ItemStatus.ACCEPTED)
    meeting = MeetingFactory()

    def grow():
        for _ in range(5):
            services.feedback_post(
                actor=people["reporter"], item=item, text="进展", uploads=[("p.png", png().read())]
            )
            DecisionFactory(meeting=meeting)
        meeting.attending_units.add(people["unit_a"], people["unit_b"])

    grow()
    assert_queries_independent_of_size(lambda: api["office"].get(f"/api/v1/items/{item.pk}"), grow)
    assert_queries_independent_of_size(
        lambda: api["office"].get(f"/api/v1/meetings/{meeting.pk}"), lambda: None
    )
    assert_queries_independent_of_size(lambda: api["office"].get("/api/v1/meetings"), grow)
