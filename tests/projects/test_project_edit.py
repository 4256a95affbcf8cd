"""The office creates and edits projects with their plan curve and milestones."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from luoshi.core.errors import DomainError, NotPermitted
from luoshi.core.models import AuditEntry
from luoshi.orgs.choices import Role
from luoshi.projects.models import Milestone, MonthlyPlan, Project, ProjectStatus, ReportMilestone
from luoshi.projects.services_projects import pinyin_initials, project_create, project_update
from tests.orgs.factories import LeaderFactory
from tests.projects.factories import (
    CategoryFactory,
    MonthlyReportFactory,
    ProjectFactory,
    ReportingPeriodFactory,
)

# These tests assert the English wording of messages.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_ui")]


@pytest.fixture
def office(role_users):
    return role_users[Role.SUPERVISION_OFFICER]


def _data(unit, **extra) -> dict:
    data = {
        "year": 2026,
        "code": "GY-100",
        "name": "工业园 标准厂房",
        "category": CategoryFactory(code="industry", name="工业项目"),
        "stage": "new",
        "content": "",
        "location": "",
        "total_investment": Decimal("5000"),
        "annual_plan": Decimal("1200"),
        "start_year": 2026,
        "end_year": 2027,
        "responsible_unit": unit,
        "cooperating_units": [],
        "leaders": [],
        "is_published": False,
        "plan": [Decimal("100")] * 12,
        "milestones": [
            {
                "id": None,
                "kind": "start",
                "name": "开工",
                "planned_on": dt.date(2026, 3, 1),
                "weight": 40,
            },
            {
                "id": None,
                "kind": "completion",
                "name": "竣工",
                "planned_on": dt.date(2027, 6, 30),
                "weight": 60,
            },
        ],
    }
    data.update(extra)
    return data


def _refused(office, data, field: str, words: str, project=None) -> None:
    with pytest.raises(DomainError) as exc:
        if project is None:
            project_create(actor=office, data=data)
        else:
            project_update(actor=office, project=project, data=data)
    assert exc.value.field == field
    assert words in str(exc.value.message)


def test_it_creates_a_project_with_plan_milestones_keys_and_audit(office, unit_a):
    leader = LeaderFactory()
    project = project_create(actor=office, data=_data(unit_a, leaders=[leader]))
    assert project.name_key == "工业园标准厂房"
    assert project.pinyin_initials == "gyybzcf"
    assert MonthlyPlan.objects.filter(project=project).count() == 12
    assert [m.name for m in project.milestones.all()] == ["开工", "竣工"]
    entry = AuditEntry.objects.get(object_type="projects.project", action="create")
    assert entry.after["leaders"] == [leader.pk]
    assert entry.after["plan"][0] == "100.00"


def test_pinyin_initials_keep_letters_and_digits():
    assert pinyin_initials("G312国道 改造") == "g312gdgz"


def test_it_refuses_a_code_already_used_that_year(office, unit_a):
    ProjectFactory(code="GY-100", name="已有项目")
    _refused(office, _data(unit_a, code="gy-100"), "code", "already used in 2026 by “已有项目”")


def test_the_same_code_may_return_in_another_year(office, unit_a):
    ProjectFactory(code="GY-100", year=2025, start_year=2025)
    assert project_create(actor=office, data=_data(unit_a)).code == "GY-100"


def test_it_refuses_a_start_after_the_end(office, unit_a):
    _refused(office, _data(unit_a, start_year=2028, end_year=2027), "end_year", "cannot be after")


def test_it_refuses_an_annual_plan_above_the_total(office, unit_a):
    data = _data(unit_a, total_investment=Decimal("1000"), plan=[None] * 12)
    _refused(office, data, "annual_plan", "cannot exceed the total investment")


def test_it_refuses_a_monthly_plan_that_misses_the_annual_figure(office, unit_a):
    plan = [Decimal("100")] * 11 + [Decimal("99.99")]
    _refused(office, _data(unit_a, plan=plan), "plan", "adds up to 1199.99")


def test_blank_months_count_as_zero(office, unit_a):
    plan = [Decimal("600"), None, None, None, None, Decimal("600")] + [None] * 6
    project = project_create(actor=office, data=_data(unit_a, plan=plan))
    assert project.monthly_plans.get(month=2).planned == 0


def test_it_refuses_milestone_weights_not_summing_to_100(office, unit_a):
    data = _data(unit_a)
    data["milestones"][1]["weight"] = 50
    _refused(office, data, "milestones", "add up to 90")


def test_it_refuses_a_milestone_date_in_an_implausible_year(office, unit_a):
    data = _data(unit_a)
    data["milestones"][0]["planned_on"] = dt.date(2062, 3, 1)
    _refused(office, data, "milestones", "outside the years 2021–2032")


def test_it_refuses_negative_investment(office, unit_a):
    _refused(office, _data(unit_a, total_investment=Decimal("-1")), "total_investment", "negative")


def test_a_refused_create_writes_nothing(office, unit_a):
    with pytest.raises(DomainError):
        project_create(actor=office, data=_data(unit_a, plan=[Decimal("1")] * 12))
    assert not Project.objects.exists()
    assert not AuditEntry.objects.filter(object_type="projects.project").exists()


def test_only_the_office_may_create(role_users, unit_a):
    with pytest.raises(NotPermitted):
        project_create(actor=role_users[Role.UNIT_HEAD], data=_data(unit_a))


def test_an_update_keeps_milestone_ids_and_records_before_and_after(office, unit_a):
    project = project_create(actor=office, data=_data(unit_a))
    start, done = project.milestones.all()
    data = _data(unit_a, name="工业园标准厂房二期")
    data["milestones"] = [
        {
            "id": start.pk,
            "kind": "start",
            "name": "开工",
            "planned_on": dt.date(2026, 4, 1),
            "weight": 40,
        },
        {
            "id": done.pk,
            "kind": "completion",
            "name": "竣工",
            "planned_on": dt.date(2027, 6, 30),
            "weight": 60,
        },
    ]
    project_update(actor=office, project=project, data=data)
    start.refresh_from_db()
    assert start.planned_on == dt.date(2026, 4, 1)
    entry = AuditEntry.objects.get(object_type="projects.project", action="update")
    assert entry.before["name"] == "工业园 标准厂房"
    assert entry.after["name"] == "工业园标准厂房二期"
    assert entry.before["milestones"][0]["planned_on"] == "2026-03-01"


def test_it_refuses_to_remove_a_milestone_a_report_has_reached(office, unit_a):
    project = ProjectFactory(responsible_unit=unit_a)
    first = project.milestones.first()
    report = MonthlyReportFactory(project=project, period=ReportingPeriodFactory(month=3))
    ReportMilestone.objects.create(report=report, milestone=first, reached_on=dt.date(2026, 3, 2))
    data = _data(unit_a, code=project.code, plan=None, milestones=[])
    _refused(office, data, "milestones", "cannot be removed", project=project)
    assert Milestone.objects.filter(pk=first.pk).exists()


def test_a_plan_change_refreshes_the_lamp_of_the_latest_period(office, unit_a):
    ReportingPeriodFactory(year=2026, month=2)
    march = ReportingPeriodFactory(year=2026, month=3)
    project = project_create(actor=office, data=_data(unit_a))
    status = ProjectStatus.objects.get(project=project)
    assert status.period == march
    assert status.planned_ytd == Decimal("300.00")
    plan = [Decimal("400")] * 3 + [Decimal("0")] * 9
    project_update(actor=office, project=project, data=_data(unit_a, plan=plan))
    assert ProjectStatus.objects.get(project=project).planned_ytd == Decimal("1200.00")


# --- through the pages


def _post(unit, category, **extra) -> dict:
    data = {
        "p-year": "2026",
        "p-code": "GY-200",
        "p-name": "新能源电池项目",
        "p-category": category.pk,
        "p-stage": "new",
        "p-total_investment": "20,000",
        "p-annual_plan": "1,200.00",
        "p-start_year": "2026",
        "p-end_year": "2028",
        "p-responsible_unit": unit.pk,
        "ms-TOTAL_FORMS": "2",
        "ms-INITIAL_FORMS": "0",
        "ms-0-kind": "start",
        "ms-0-name": "开工",
        "ms-0-planned_on": "2026-05-01",
        "ms-0-weight": "30",
        "ms-1-kind": "start",
        "ms-1-name": "",
        "ms-1-planned_on": "",
        "ms-1-weight": "",
    }
    for m in range(1, 13):
        data[f"plan-m{m}"] = "100"
    data.update(extra)
    return data


def test_the_office_creates_a_project_through_the_page(office, unit_a, make_client):
    category = CategoryFactory()
    response = make_client(office).post(
        "/projects/new/", _post(unit_a, category, **{"ms-0-weight": "100"})
    )
    project = Project.objects.get(code="GY-200")
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.pk}/"
    assert project.total_investment == Decimal("20000.00")
    assert project.milestones.count() == 1  # the empty row is ignored


def test_the_page_shows_a_plan_error_and_keeps_the_input(office, unit_a, make_client):
    category = CategoryFactory()
    data = _post(unit_a, category, **{"plan-m12": "50", "ms-0-weight": "100"})
    response = make_client(office).post("/projects/new/", data)
    text = response.content.decode()
    assert response.status_code == 400
    assert "The monthly plan adds up to 1150.00" in text
    assert 'value="新能源电池项目"' in text
    assert not Project.objects.exists()


def test_the_page_shows_a_weight_error(office, unit_a, make_client):
    response = make_client(office).post("/projects/new/", _post(unit_a, CategoryFactory()))
    assert response.status_code == 400
    assert "The milestone weights add up to 30" in response.content.decode()


def test_the_page_shows_a_bad_amount_on_its_field(office, unit_a, make_client):
    data = _post(unit_a, CategoryFactory(), **{"p-total_investment": "很多"})
    response = make_client(office).post("/projects/new/", data)
    assert response.status_code == 400
    assert "Enter an amount in 10k yuan" in response.content.decode()


def test_the_edit_page_is_prefilled_and_saves(office, unit_a, make_client):
    project = ProjectFactory(responsible_unit=unit_a)
    client = make_client(office)
    page = client.get(f"/projects/{project.pk}/edit/").content.decode()
    assert f'value="{project.code}"' in page
    assert 'name="plan-m1" value="100.00"' in page
    ms = list(project.milestones.all())
    data = _post(
        unit_a,
        project.category,
        **{
            "p-code": project.code,
            "p-name": "改名后的项目",
            "ms-TOTAL_FORMS": "3",
            "ms-INITIAL_FORMS": "3",
        },
    )
    for i, m in enumerate(ms):
        data.update(
            {
                f"ms-{i}-id": m.pk,
                f"ms-{i}-kind": m.kind,
                f"ms-{i}-name": m.name,
                f"ms-{i}-planned_on": m.planned_on.isoformat(),
                f"ms-{i}-weight": m.weight,
            }
        )
    data["ms-2-DELETE"] = "on"
    data["ms-0-weight"], data["ms-1-weight"] = "40", "60"
    response = client.post(f"/projects/{project.pk}/edit/", data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name == "改名后的项目"
    assert [m.name for m in project.milestones.all()] == ["开工", "主体完工"]


def test_a_unit_head_cannot_reach_the_edit_page(role_users, unit_a, make_client):
    project = ProjectFactory(responsible_unit=unit_a)
    client = make_client(role_users[Role.UNIT_HEAD])
    assert client.get(f"/projects/{project.pk}/edit/").status_code == 403


def test_the_chinese_edit_page_keeps_the_milestone_dates(office, unit_a, make_client, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    project = ProjectFactory(responsible_unit=unit_a)
    page = make_client(office).get(f"/projects/{project.pk}/edit/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert "节点" in text
    assert 'type="date" name="ms-0-planned_on" value="2026-03-01"' in text
