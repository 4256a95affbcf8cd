"""Issuing items (交办): from a meeting decision, standalone with every source, to several
lead units at once (all or nothing), with the deadline as a date or N working days."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.supervision.choices import ItemSource, ItemStatus
from luoshi.supervision.models import Item, ItemUnit
from tests.orgs.factories import UnitFactory
from tests.projects.factories import MonthlyReportFactory, ProjectFactory
from tests.supervision.factories import DecisionFactory
from tests.supervision_meet.helpers import TODAY, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_ui")]


@pytest.fixture(autouse=True)
def today(clock):
    clock(TODAY)


def payload(people, **extra):
    data = {
        "source": ItemSource.ASSIGNMENT,
        "source_ref": "",
        "title": "背街小巷改造",
        "content": "6月底前完成。",
        "lead_units": [people["unit_a"].pk],
        "cooperating_units": [people["unit_b"].pk],
        "responsible_leader": people["leader_record"].pk,
        "deadline": "2026-06-30",
        "deadline_working_days": "",
        "priority": "high",
    }
    data.update(extra)
    return data


def test_issue_from_a_decision_prefills_and_returns_to_the_meeting(people):
    office = client_for(people["office"])
    d = DecisionFactory(content="加快推进城区污水管网改造\n6月底前完成主体工程。")
    page = office.get(f"/supervision/issue/?decision={d.pk}").content.decode()
    assert "From the meeting decision" in page
    assert 'value="加快推进城区污水管网改造"' in page  # the title from its first line
    assert 'name="source"' not in page  # the decision is the source
    data = payload(people, decision=d.pk)
    for key in ("source", "source_ref"):
        data.pop(key)
    r = office.post("/supervision/issue/", data)
    assert r.status_code == 302
    assert r["Location"] == f"/supervision/meetings/{d.meeting_id}/#progress"
    item = Item.objects.get()
    assert (item.source, item.decision, item.status) == (ItemSource.MEETING, d, ItemStatus.ISSUED)
    assert item.deadline == dt.date(2026, 6, 30)
    assert list(item.cooperating_units.all()) == [people["unit_b"]]


def test_several_lead_units_make_one_item_each(people):
    office = client_for(people["office"])
    unit_c = people["unit_c"]
    r = office.post(
        "/supervision/issue/",
        payload(people, lead_units=[people["unit_a"].pk, unit_c.pk], cooperating_units=[]),
    )
    assert r.status_code == 302 and r["Location"] == "/supervision/ledger/"
    assert sorted(Item.objects.values_list("lead_unit__code", flat=True)) == ["FGJ", "WJW"]
    assert len(set(Item.objects.values_list("code", flat=True))) == 2


def test_one_inactive_lead_unit_issues_nothing_and_names_the_unit(people):
    closed = UnitFactory(code="OLD", name="县旧机构", is_active=True)
    office = client_for(people["office"])
    page = office.get("/supervision/issue/")
    assert page.status_code == 200
    closed.is_active = False
    closed.save()
    r = office.post(
        "/supervision/issue/", payload(people, lead_units=[people["unit_a"].pk, closed.pk])
    )
    # The form offers active units only, so the inactive one is refused before the service.
    assert r.status_code == 400
    assert not Item.objects.exists()


def test_service_refuses_all_when_one_unit_fails(people):
    from luoshi.core.errors import DomainError
    from luoshi.supervision.services_issue import items_issue

    old = UnitFactory(code="OLD", name="县旧机构", is_active=False)
    data = {
        "source": ItemSource.ASSIGNMENT,
        "title": "t",
        "content": "c",
        "deadline": dt.date(2026, 6, 30),
        "issued_on": TODAY,
    }
    with pytest.raises(DomainError) as exc:
        items_issue(actor=people["office"], data=data, lead_units=[people["unit_a"], old])
    assert str(exc.value.message).startswith("县旧机构: ")
    assert exc.value.field == "lead_units"
    assert not Item.objects.exists() and not ItemUnit.objects.exists()


def test_deadline_in_working_days_skips_the_weekend_and_is_shown(people):
    office = client_for(people["office"])
    # Wednesday 15 April + 3 working days = Monday 20 April.
    r = office.get("/supervision/issue/deadline/?deadline_working_days=3&deadline=")
    assert "The deadline will be 2026-04-20 (Monday)." in r.content.decode()
    r = office.post("/supervision/issue/", payload(people, deadline="", deadline_working_days="3"))
    assert r.status_code == 302
    item = Item.objects.get()
    assert (item.deadline, item.deadline_working_days) == (dt.date(2026, 4, 20), 3)


def test_deadline_given_both_ways_or_before_today_is_refused(people):
    office = client_for(people["office"])
    r = office.post("/supervision/issue/", payload(people, deadline_working_days="3"))
    assert r.status_code == 400
    assert "Give the deadline either as a date or as working days, not both." in r.content.decode()
    r = office.get("/supervision/issue/deadline/?deadline=2026-04-01")
    assert "is before the issue date 2026-04-15" in r.content.decode()
    assert not Item.objects.exists()


def test_a_deadline_in_a_year_the_calendar_does_not_know_gives_the_message(people):
    office = client_for(people["office"])
    r = office.post("/supervision/issue/", payload(people, deadline="2099-06-30"))
    assert r.status_code == 400
    body = r.content.decode()
    assert "2099" in body and 'class="error"' in body
    assert not Item.objects.exists()


def test_a_leaders_instruction_needs_the_leader_and_the_text(people):
    office = client_for(people["office"])
    r = office.post("/supervision/issue/", payload(people, source=ItemSource.INSTRUCTION))
    assert r.status_code == 400
    assert "A leader&#x27;s instruction needs the leader and the instruction text." in (
        r.content.decode()
    )
    r = office.post(
        "/supervision/issue/",
        payload(
            people,
            source=ItemSource.INSTRUCTION,
            instruction_leader=people["leader_record"].pk,
            instruction_text="请交通局牵头，月底前拿出方案。",
        ),
    )
    assert r.status_code == 302
    item = Item.objects.get()
    assert item.instruction_leader == people["leader_record"]


def test_the_same_hotline_ticket_is_not_issued_twice(people):
    office = client_for(people["office"])
    data = payload(people, source=ItemSource.HOTLINE, source_ref="12345-0001")
    assert office.post("/supervision/issue/", data).status_code == 302
    r = office.post("/supervision/issue/", data)
    assert r.status_code == 400 and "12345-0001 was already issued" in r.content.decode()
    assert Item.objects.count() == 1


def test_a_project_problem_marked_for_coordination_becomes_an_item(people):
    project = ProjectFactory(responsible_unit=people["unit_a"], name="城东污水处理厂")
    report = MonthlyReportFactory(
        project=project,
        unit=people["unit_a"],
        problems="征地未完成",
        help_needed="请自然资源局协调",
        needs_coordination=True,
    )
    office = client_for(people["office"])
    page = office.get(f"/supervision/issue/?report={report.pk}").content.decode()
    assert "征地未完成" in page and "城东污水处理厂" in page
    data = payload(people, source=ItemSource.PROJECT, report=report.pk)
    assert office.post("/supervision/issue/", data).status_code == 302
    item = Item.objects.get()
    assert (item.project, item.report) == (project, report)


def test_units_and_leaders_cannot_issue(people):
    for who in ("reporter", "leader"):
        r = client_for(people[who]).post("/supervision/issue/", payload(people))
        assert r.status_code == 403
    assert not Item.objects.exists()


def test_the_coordination_list_links_each_problem_to_the_issue_form(people):
    report = MonthlyReportFactory(
        project=ProjectFactory(responsible_unit=people["unit_a"], name="城东污水处理厂"),
        unit=people["unit_a"],
        problems="征地未完成",
        needs_coordination=True,
    )
    period = f"{report.period.year}-{report.period.month:02d}"
    body = client_for(people["office"]).get(f"/projects/reporting/review/?period={period}")
    assert body.status_code == 200
    html = body.content.decode()
    assert "征地未完成" in html
    assert f'href="/supervision/issue/?report={report.pk}">Turn into a supervision item' in html
