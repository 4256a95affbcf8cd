"""Meetings: the office records one and its decisions (htmx), and the meeting page shows
how every item issued from it stands (决定事项落实情况)."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.supervision.choices import ItemSource, MeetingKind
from luoshi.supervision.models import Decision, Meeting
from tests.orgs.factories import LeaderFactory
from tests.supervision.factories import DecisionFactory, MeetingFactory
from tests.supervision_meet.helpers import TODAY, client_for, green, queries, red, yellow

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_ui")]


@pytest.fixture(autouse=True)
def today(clock):
    clock(TODAY)


def test_office_records_a_meeting_and_edits_it(people):
    office = client_for(people["office"])
    presider = LeaderFactory(name="李明", title="县长")
    r = office.post(
        "/supervision/meetings/new/",
        {
            "kind": MeetingKind.STANDING,
            "title": "县政府第12次常务会议",
            "held_on": "2026-04-13",
            "place": "县政府三楼会议室",
            "presider": presider.pk,
            "attending_leaders": [people["leader_record"].pk],
            "attending_units": [people["unit_a"].pk, people["unit_b"].pk],
            "agenda": "一、污水管网改造",
            "minutes": "会议研究了……",
        },
    )
    meeting = Meeting.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/supervision/meetings/{meeting.pk}/"
    assert meeting.presider == presider
    assert set(meeting.attending_units.all()) == {people["unit_a"], people["unit_b"]}
    page = office.get(r["Location"]).content.decode()
    assert "县政府三楼会议室" in page and "李明" in page and "县发展和改革局" in page

    edit = office.get(f"/supervision/meetings/{meeting.pk}/edit/").content.decode()
    assert 'value="县政府第12次常务会议"' in edit
    r = office.post(
        f"/supervision/meetings/{meeting.pk}/edit/",
        {"kind": MeetingKind.ONSITE, "title": "现场办公会", "held_on": "2026-04-14"},
    )
    assert r.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.kind, meeting.held_on, meeting.attending_units.count()) == (
        MeetingKind.ONSITE,
        dt.date(2026, 4, 14),
        0,
    )


def test_a_meeting_without_a_date_is_refused_with_the_field_named(people):
    r = client_for(people["office"]).post(
        "/supervision/meetings/new/", {"kind": MeetingKind.STANDING, "title": "无日期"}
    )
    assert r.status_code == 400
    assert "This field is required." in r.content.decode()
    assert not Meeting.objects.exists()


def test_decisions_are_added_edited_and_deleted_in_place(people):
    office = client_for(people["office"])
    meeting = MeetingFactory()
    hx = {"HTTP_HX_REQUEST": "true"}
    r = office.post(
        f"/supervision/meetings/{meeting.pk}/decisions/", {"content": "加快污水管网改造"}, **hx
    )
    assert r.status_code == 200 and r["HX-Retarget"] == "#decisions"
    body = r.content.decode()
    assert body.startswith('<section id="decisions"') and "加快污水管网改造" in body
    d = Decision.objects.get()
    assert d.number == 1

    # Empty: the form comes back with its message, still swapped in place.
    r = office.post(f"/supervision/meetings/{meeting.pk}/decisions/", {"content": " "}, **hx)
    assert r.status_code == 200 and "This field is required." in r.content.decode()
    assert Decision.objects.count() == 1

    r = office.get(f"/supervision/meetings/{meeting.pk}/decisions/{d.pk}/edit/", **hx)
    assert r.content.decode().startswith(f'<tr id="decision-{d.pk}"')
    r = office.post(
        f"/supervision/meetings/{meeting.pk}/decisions/{d.pk}/edit/",
        {"content": "6月底前完成主体工程"},
        **hx,
    )
    assert "6月底前完成主体工程" in r.content.decode()
    d.refresh_from_db()
    assert d.content == "6月底前完成主体工程"

    # Without htmx the same forms work and come back to the meeting page.
    r = office.post(f"/supervision/meetings/{meeting.pk}/decisions/", {"content": "第二项"})
    assert r.status_code == 302 and r["Location"].endswith("#decisions")
    r = office.post(f"/supervision/meetings/{meeting.pk}/decisions/{d.pk}/delete/", **hx)
    assert r.status_code == 200
    assert list(Decision.objects.values_list("content", flat=True)) == ["第二项"]


def test_a_decision_with_items_cannot_be_deleted(people):
    office = client_for(people["office"])
    d = DecisionFactory()
    green(decision=d, source=ItemSource.MEETING, lead_unit=people["unit_a"])
    r = office.post(
        f"/supervision/meetings/{d.meeting_id}/decisions/{d.pk}/delete/", HTTP_HX_REQUEST="true"
    )
    assert "Items were issued from this decision; it cannot be deleted." in r.content.decode()
    assert Decision.objects.filter(pk=d.pk).exists()


def test_a_decision_of_another_meeting_is_not_found(people):
    office = client_for(people["office"])
    d = DecisionFactory()
    other = MeetingFactory()
    r = office.post(f"/supervision/meetings/{other.pk}/decisions/{d.pk}/delete/")
    assert r.status_code == 404


def test_meeting_page_lists_every_item_of_its_decisions_with_lamp_and_reason(people):
    meeting = MeetingFactory(title="第12次常务会议")
    d1, d2 = DecisionFactory(meeting=meeting), DecisionFactory(meeting=meeting)
    a = red(decision=d1, source=ItemSource.MEETING, lead_unit=people["unit_a"], title="管网改造")
    yellow(decision=d2, source=ItemSource.MEETING, lead_unit=people["unit_b"], title="道路修复")
    green(title="别的会议的事项")
    page = client_for(people["office"]).get(f"/supervision/meetings/{meeting.pk}/")
    body = page.content.decode()
    assert "Implementation of the decisions" in body
    assert "管网改造" in body and "道路修复" in body and "别的会议的事项" not in body
    assert f'href="/supervision/items/{a.pk}/"' in body
    assert "Overdue: the deadline was 2026-04-10, 5 days ago." in body
    assert "The deadline 2026-04-17 is near." in body
    assert "Red 1" in body and "Yellow 1" in body and "Green 0" in body


def test_meeting_list_filters_by_kind_and_year(people):
    MeetingFactory(title="常务会A", held_on=dt.date(2026, 3, 2))
    MeetingFactory(title="推进会B", kind=MeetingKind.PROGRESS, held_on=dt.date(2025, 12, 1))
    office = client_for(people["office"])
    body = office.get("/supervision/meetings/?kind=progress").content.decode()
    assert "推进会B" in body and "常务会A" not in body
    body = office.get("/supervision/meetings/?year=2026").content.decode()
    assert "常务会A" in body and "推进会B" not in body


def test_meeting_list_paginates(people):
    for n in range(35):
        MeetingFactory(title=f"会议{n:02d}")
    office = client_for(people["office"])
    first = office.get("/supervision/meetings/").content.decode()
    second = office.get("/supervision/meetings/?page=2").content.decode()
    assert "35 records" in first and "Page 2 of 2" in second
    assert first.count("/supervision/meetings/") > second.count("/supervision/meetings/")


def test_meeting_page_query_count_is_the_same_for_5_and_50_items(people):
    counts = []
    for n in (5, 50):
        meeting = MeetingFactory()
        for _i in range(n):
            d = DecisionFactory(meeting=meeting)
            red(decision=d, source=ItemSource.MEETING, lead_unit=people["unit_a"])
        c = client_for(people["office"])
        c.get("/")  # the first request of a session does its own one-off reads
        counts.append(queries(c, f"/supervision/meetings/{meeting.pk}/"))
    assert counts[0] == counts[1] <= 15, counts


def _codes_on(client, url) -> list[str]:
    import re

    return re.findall(r">(MT-\d-\d\d)<", client.get(url).content.decode())


def test_meeting_items_page_by_decision_number_then_code_across_page_breaks(people):
    """Decision 1 has 30 items, decision 2 has 40, decision 3 has 5, created out of order:
    page 1 holds decision 1's thirty and the first twenty of decision 2, page 2 the rest.
    A leader sees only the items they are responsible for, paged the same way."""
    meeting = MeetingFactory()
    d3 = DecisionFactory(meeting=meeting, number=3)
    d1 = DecisionFactory(meeting=meeting, number=1)
    d2 = DecisionFactory(meeting=meeting, number=2)
    leader = people["leader_record"]
    for d, n in ((d3, 5), (d2, 40), (d1, 30)):
        for i in reversed(range(n)):
            red(
                decision=d,
                code=f"MT-{d.number}-{i:02d}",
                lead_unit=people["unit_a"],
                responsible_leader=leader if i % 2 == 0 else None,
            )
    expected = [f"MT-{d}-{i:02d}" for d, n in ((1, 30), (2, 40), (3, 5)) for i in range(n)]
    office = client_for(people["office"])
    url = f"/supervision/meetings/{meeting.pk}/"
    assert _codes_on(office, url) == expected[:50]
    assert _codes_on(office, url + "?page=2") == expected[50:]
    mine = [c for c in expected if int(c[-2:]) % 2 == 0]  # 15 + 20 + 3 = 38: one page
    assert _codes_on(client_for(people["leader"]), url) == mine
