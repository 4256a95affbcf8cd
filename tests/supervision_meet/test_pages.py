"""The meeting pages, issuing, the ledger, the overdue list, the inbox and the leader's list,
as the office, a unit and a leader use them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from luoshi.supervision.choices import ItemSource
from tests.supervision.factories import DecisionFactory, ItemFactory, MeetingFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_ui")]

TODAY = dt.date(2026, 4, 15)  # a Wednesday


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def today(clock):
    clock(TODAY)
    return TODAY


def test_smoke_all_pages(people, today):
    office = client_for(people["office"])
    m = MeetingFactory()
    d = DecisionFactory(meeting=m)
    ItemFactory(lead_unit=people["unit_a"], decision=d, source=ItemSource.MEETING)
    for url in [
        "/supervision/meetings/",
        f"/supervision/meetings/{m.pk}/",
        "/supervision/meetings/new/",
        f"/supervision/meetings/{m.pk}/edit/",
        f"/supervision/issue/?decision={d.pk}",
        "/supervision/issue/",
        "/supervision/ledger/",
        "/supervision/overdue/",
    ]:
        r = office.get(url)
        assert r.status_code == 200, url
    assert client_for(people["reporter"]).get("/supervision/inbox/").status_code == 200
    assert client_for(people["leader"]).get("/supervision/mine/").status_code == 200
