"""The project list page: who sees which projects, search, filters, lamps, query counts."""

from __future__ import annotations

import pytest

from luoshi.orgs.choices import Role
from tests.helpers import assert_queries_independent_of_size
from tests.orgs.factories import LeaderFactory, UnitFactory
from tests.projects.factories import ProjectFactory, ProjectStatusFactory

pytestmark = pytest.mark.django_db


def _codes(response) -> list[str]:
    return [row["code"] for row in response.context["page_obj"].object_list]


@pytest.mark.parametrize("role", [Role.SUPERVISION_OFFICER, Role.LEADER])
def test_county_wide_roles_see_every_project(role, library, role_users, make_client):
    response = make_client(role_users[role]).get("/projects/")
    assert _codes(response) == ["GY-001", "MS-002", "JT-003"]


@pytest.mark.parametrize("role", [Role.UNIT_REPORTER, Role.UNIT_HEAD])
def test_unit_roles_see_only_projects_their_unit_is_responsible_for(
    role, library, role_users, make_client
):
    # Unit A cooperates on the county road (unit B's project) but does not read it.
    response = make_client(role_users[role]).get("/projects/")
    assert _codes(response) == ["GY-001", "MS-002"]
    assert "县道改扩建工程" not in response.content.decode()


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_admin_roles_see_no_project_list(role, library, role_users, make_client):
    assert make_client(role_users[role]).get("/projects/").status_code == 403


def test_the_search_finds_a_project_by_pinyin_initials(library, role_users, make_client):
    client = make_client(role_users[Role.SUPERVISION_OFFICER])
    assert _codes(client.get("/projects/", {"q": "gyy"})) == ["GY-001"]
    assert _codes(client.get("/projects/", {"q": "GYY"})) == ["GY-001"]


def test_the_search_finds_a_project_by_code_or_name(library, role_users, make_client):
    client = make_client(role_users[Role.SUPERVISION_OFFICER])
    assert _codes(client.get("/projects/", {"q": "jt-003"})) == ["JT-003"]
    assert _codes(client.get("/projects/", {"q": "小学"})) == ["MS-002"]


def test_the_lamp_filter_keeps_projects_of_that_colour(library, role_users, make_client):
    client = make_client(role_users[Role.SUPERVISION_OFFICER])
    assert _codes(client.get("/projects/", {"lamp": "red"})) == ["MS-002"]
    assert _codes(client.get("/projects/", {"lamp": "yellow"})) == ["JT-003"]


def test_the_lamp_summary_counts_the_filtered_projects(library, role_users, make_client):
    client = make_client(role_users[Role.UNIT_REPORTER])
    links = {x["value"]: x["n"] for x in client.get("/projects/").context["lamp_links"]}
    # Unit A: one green, one red; unit B's yellow is not theirs to count.
    assert links == {"green": 1, "yellow": 0, "red": 1, "grey": 0}


def test_lamps_come_from_the_period_chosen(library, role_users, make_client):
    from tests.projects.factories import ReportingPeriodFactory

    april = ReportingPeriodFactory(year=2026, month=4)
    ProjectStatusFactory(project=library["park"], period=april, lamp="red")
    client = make_client(role_users[Role.SUPERVISION_OFFICER])
    # Default: the latest period with lamps (April); March on request.
    assert _codes(client.get("/projects/", {"lamp": "red"})) == ["GY-001"]
    assert _codes(client.get("/projects/", {"lamp": "red", "month": "3"})) == ["MS-002"]


def test_filters_by_category_stage_unit_and_leader(library, role_users, make_client, unit_b):
    client = make_client(role_users[Role.SUPERVISION_OFFICER])
    infra = library["road"].category_id
    assert _codes(client.get("/projects/", {"category": infra})) == ["JT-003"]
    assert _codes(client.get("/projects/", {"unit": unit_b.pk})) == ["JT-003"]
    assert _codes(client.get("/projects/", {"leader": library["zhang"].pk})) == ["GY-001"]
    assert _codes(client.get("/projects/", {"stage": "planning"})) == []


def test_a_row_shows_leaders_plan_actual_ratio_and_lamp(library, role_users, make_client):
    page = make_client(role_users[Role.SUPERVISION_OFFICER]).get("/projects/").content.decode()
    assert "张三、李四" in page  # in the order of precedence
    assert "1,200.00" in page  # annual plan
    assert "33.3%" in page
    assert 'class="lamp lamp-red"' in page


def test_another_years_list_is_reached_by_the_year_filter(library, role_users, make_client):
    ProjectFactory(year=2025, code="OLD-1", responsible_unit=library["park"].responsible_unit)
    client = make_client(role_users[Role.SUPERVISION_OFFICER])
    response = client.get("/projects/", {"year": "2025"})
    assert _codes(response) == ["OLD-1"]
    assert response.context["years"] == [2026, 2025]


def test_bad_filter_values_are_ignored_not_errors(library, role_users, make_client):
    client = make_client(role_users[Role.SUPERVISION_OFFICER])
    response = client.get(
        "/projects/", {"year": "abc", "month": "13", "lamp": "blue", "unit": "-1", "page": "x"}
    )
    assert response.status_code == 200
    assert len(_codes(response)) == 3


def test_only_the_office_gets_the_new_project_button(library, role_users, make_client):
    office = make_client(role_users[Role.SUPERVISION_OFFICER]).get("/projects/")
    leader = make_client(role_users[Role.LEADER]).get("/projects/")
    assert "/projects/new/" in office.content.decode()
    assert "/projects/new/" not in leader.content.decode()


def test_the_export_button_carries_year_and_month(library, role_users, make_client):
    page = make_client(role_users[Role.LEADER]).get("/projects/").content.decode()
    assert "/projects/import/export.xlsx?year=2026&amp;month=3" in page


def test_list_queries_do_not_grow_with_projects(library, role_users, make_client):
    client = make_client(role_users[Role.SUPERVISION_OFFICER])
    unit = UnitFactory()
    leader = LeaderFactory()

    roads = library["road"].category

    # Rows are read per category the page spans (see selectors.project_rows_page), so the
    # growth keeps page 1 spanning the same two categories: what must not grow is the
    # count with the number of projects.
    def grow():
        for i in range(200):
            p = ProjectFactory(
                code=f"GROW-{i:03d}",
                category=roads,
                responsible_unit=unit,
                leaders=[leader],
                plan=False,
                milestones=False,
            )
            ProjectStatusFactory(project=p, period=library["march"], lamp="yellow")

    assert_queries_independent_of_size(lambda: client.get("/projects/"), grow)
    assert client.get("/projects/", {"page": "2"}).status_code == 200


def test_the_list_keeps_the_office_order_across_categories_and_pages(
    library, role_users, make_client
):
    client = make_client(role_users[Role.SUPERVISION_OFFICER])
    roads = library["road"].category
    for i in range(60):
        ProjectFactory(code=f"Z-{i:03d}", category=roads, plan=False, milestones=False)
    first = client.get("/projects/").context["page_obj"]
    second = client.get("/projects/", {"page": "2"}).context["page_obj"]
    codes = [r["code"] for r in first] + [r["code"] for r in second]
    # industrial projects (category order 1) first, then infrastructure, each by code
    assert codes[:2] == sorted([library["park"].code, library["school"].code])
    assert codes[2:] == sorted(codes[2:])
    assert len(codes) == 63 and len(set(codes)) == 63


def test_a_search_keeps_the_office_order_and_its_query_count(library, role_users, make_client):
    client = make_client(role_users[Role.SUPERVISION_OFFICER])
    roads = library["road"].category
    ProjectFactory(
        code="S-000", name="污水处理厂提标改造", category=roads, plan=False, milestones=False
    )

    def grow():
        for i in range(1, 120):
            ProjectFactory(
                code=f"S-{i:03d}",
                name=f"污水管网{i}期工程",
                category=roads,
                plan=False,
                milestones=False,
            )

    assert_queries_independent_of_size(lambda: client.get("/projects/", {"q": "污水"}), grow)
    page = client.get("/projects/", {"q": "污水", "page": "3"}).context["page_obj"]
    assert [r["code"] for r in page] == [f"S-{i:03d}" for i in range(100, 120)]
