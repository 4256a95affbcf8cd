"""The unit fields of the meeting and issue forms: a county's units in a plain select; a
province's only as the chosen ones plus a search (the projects app's picker), so the page
does not grow with the number of units."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.orgs.models import Unit
from luoshi.projects import unit_picker
from luoshi.supervision.models import Item, Meeting
from tests.conftest import login_client
from tests.supervision.factories import MeetingFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_ui")]


def _towns(unit, n: int, prefix: str = "XZ", start: int = 0) -> None:
    Unit.objects.bulk_create(
        [
            Unit(
                code=f"{prefix}{i:03d}",
                name=f"第{i}乡镇人民政府",
                order=100 + i,
                unit_class=unit.unit_class,
            )
            for i in range(start, start + n)
        ]
    )


@pytest.fixture
def many_units(monkeypatch, people):
    """More units than a select should carry (the threshold lowered for speed)."""
    monkeypatch.setattr(unit_picker, "SELECT_MAX", 10)
    _towns(people["unit_a"], 30)


def test_a_county_gets_every_unit_in_a_plain_select(people, clock):
    clock(dt.date(2026, 4, 15))
    office = login_client(people["office"])
    for url in ("/supervision/issue/", "/supervision/meetings/new/"):
        page = office.get(url).content.decode()
        assert "县发展和改革局（FGJ）" in page and "县卫生健康委员会（WJW）" in page
        assert "/supervision/units/pick/" not in page


def test_a_province_gets_the_chosen_units_and_a_search(people, clock, many_units):
    clock(dt.date(2026, 4, 15))
    office = login_client(people["office"])
    meeting = MeetingFactory(held_on=dt.date(2026, 4, 13))
    meeting.attending_units.set([people["unit_a"]])
    office.get(f"/supervision/meetings/{meeting.pk}/edit/")  # the session's first request
    for url in ("/supervision/issue/", f"/supervision/meetings/{meeting.pk}/edit/"):
        with CaptureQueriesContext(connection) as few:
            page = office.get(url).content.decode()
        assert 'hx-get="/supervision/units/pick/"' in page
        assert "第7乡镇人民政府" not in page
        _towns(people["unit_a"], 60, "YY", 100)
        with CaptureQueriesContext(connection) as more:
            office.get(url)
        assert len(more) == len(few)
        Unit.objects.filter(code__startswith="YY").delete()
    page = office.get(f"/supervision/meetings/{meeting.pk}/edit/").content.decode()
    assert f'value="{people["unit_a"].pk}" selected' in page  # the chosen one stays listed


def test_the_search_answers_the_chosen_and_at_most_twenty(people, many_units):
    office = login_client(people["office"])
    url = "/supervision/units/pick/"
    html = office.get(
        url, {"field": "lead_units", "q": "乡镇", "lead_units": [people["unit_b"].pk]}
    ).content.decode()
    assert html.startswith("<select") and "multiple" in html
    assert html.count("<option") == 1 + unit_picker.RESULTS
    assert f'value="{people["unit_b"].pk}" selected' in html
    assert 'id="id_lead_units"' in html
    one = office.get(url, {"field": "attending_units", "q": "XZ007"}).content.decode()
    assert "第7乡镇人民政府（XZ007）" in one
    assert office.get(url, {"field": "password", "q": "x"}).status_code == 400
    assert login_client(people["reporter"]).get(url, {"field": "lead_units"}).status_code == 403


def test_a_unit_found_by_search_is_issued_to_and_attends(people, clock, many_units):
    clock(dt.date(2026, 4, 15))
    town = Unit.objects.get(code="XZ007")
    office = login_client(people["office"])
    r = office.post(
        "/supervision/issue/",
        {
            "source": "assignment",
            "title": "乡镇污水处理站运行",
            "content": "5月底前恢复运行。",
            "lead_units": [town.pk],
            "cooperating_units": [people["unit_a"].pk],
            "deadline": "2026-05-29",
            "priority": "normal",
        },
    )
    assert r.status_code == 302
    assert Item.objects.get().lead_unit == town
    r = office.post(
        "/supervision/meetings/new/",
        {
            "kind": "onsite",
            "title": "乡镇现场办公会",
            "held_on": "2026-04-15",
            "attending_units": [town.pk],
        },
    )
    assert r.status_code == 302
    assert list(Meeting.objects.get().attending_units.all()) == [town]


@pytest.mark.parametrize(
    ("content", "title"),
    [
        (
            "会议研究了粮食生产和秋冬种工作。落实粮食播种面积，由农业农村局抓好落实。",
            "粮食生产和秋冬种工作",
        ),
        (
            "会议要求：县道 X201 水毁路段4月底前修复通车；交通局牵头。",
            "县道 X201 水毁路段4月底前修复通车",
        ),
        ("加快推进城区污水管网改造\n6月底前完成主体工程。", "加快推进城区污水管网改造"),
        ("会议研究了", "会议研究了"),
        ("", ""),
    ],
)
def test_the_suggested_title_is_the_decisions_first_sentence(content, title):
    from luoshi.supervision.views_meet import decision_title

    assert decision_title(content) == title


def test_a_county_issue_form_has_a_tick_box_per_active_unit(people, clock):
    """Below the picker's threshold every active unit is a tick box in both unit fields
    (a Ctrl-click list hid the chosen ones), and the form says what several lead units do."""
    from luoshi.orgs.models import Unit

    clock(dt.date(2026, 4, 15))
    page = login_client(people["office"]).get("/supervision/issue/").content.decode()
    active = Unit.objects.filter(is_active=True).count()
    assert page.count('type="checkbox" name="lead_units"') == active
    assert page.count('type="checkbox" name="cooperating_units"') == active
    assert "Several lead units make one item each." in page and "Hold Ctrl" not in page
