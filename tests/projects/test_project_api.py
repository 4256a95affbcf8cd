"""The read API of key projects: same scope and filters as the pages, bounded queries."""

from __future__ import annotations

import pytest

from luoshi.orgs.choices import Role
from luoshi.projects.choices import ReportStatus
from tests.api.conftest import bearer_client
from tests.helpers import assert_queries_independent_of_size
from tests.orgs.factories import LeaderFactory, UnitFactory
from tests.projects.factories import (
    MonthlyReportFactory,
    ProjectFactory,
    ProjectStatusFactory,
    ReportingPeriodFactory,
)

pytestmark = pytest.mark.django_db


def _codes(response) -> list[str]:
    return [item["code"] for item in response.json()["items"]]


def test_the_list_gives_lamp_leaders_and_figures(library, role_users):
    client = bearer_client(role_users[Role.SUPERVISION_OFFICER])
    body = client.get("/api/v1/projects").json()
    assert body["count"] == 3
    park = body["items"][0]
    assert park["code"] == "GY-001"
    assert [leader["name"] for leader in park["leaders"]] == ["张三", "李四"]
    assert park["annual_plan"] == "1200.00"
    assert park["status"]["lamp"] == "green"
    assert park["status"]["month"] == 3


def test_a_reporter_lists_only_their_units_projects(library, role_users):
    client = bearer_client(role_users[Role.UNIT_REPORTER])
    assert _codes(client.get("/api/v1/projects")) == ["GY-001", "MS-002"]


def test_another_units_project_is_404_for_a_reporter(library, role_users):
    client = bearer_client(role_users[Role.UNIT_REPORTER])
    road = library["road"].pk
    assert client.get(f"/api/v1/projects/{road}").status_code == 404
    assert client.get(f"/api/v1/projects/{road}/reports").status_code == 404


def test_filters_search_and_lamp(library, role_users):
    client = bearer_client(role_users[Role.LEADER])
    assert _codes(client.get("/api/v1/projects", {"q": "gyy"})) == ["GY-001"]
    assert _codes(client.get("/api/v1/projects", {"lamp": "red"})) == ["MS-002"]
    assert _codes(client.get("/api/v1/projects", {"stage": "planning"})) == []
    assert _codes(client.get("/api/v1/projects", {"year": 2025})) == []


def test_bad_filters_are_422_not_500(library, role_users):
    client = bearer_client(role_users[Role.LEADER])
    for params in ({"lamp": "blue"}, {"month": 13}, {"year": "x"}, {"unit": 0}):
        assert client.get("/api/v1/projects", params).status_code == 422


def test_the_detail_gives_plan_milestones_and_latest_status(library, role_users):
    client = bearer_client(role_users[Role.UNIT_HEAD])
    body = client.get(f"/api/v1/projects/{library['school'].pk}").json()
    assert len(body["plan"]) == 12
    assert body["plan"][0] == {"month": 1, "planned": "100.00"}
    assert [m["kind"] for m in body["milestones"]] == ["start", "structure", "completion"]
    assert body["status"]["lamp"] == "red"
    assert "低于 80%" in body["status"]["reason"]


def test_the_reports_are_paginated_newest_first_without_drafts(library, role_users):
    park = library["park"]
    for month in (1, 2, 3):
        MonthlyReportFactory(project=park, period=ReportingPeriodFactory(month=month))
    MonthlyReportFactory(
        project=park, period=ReportingPeriodFactory(month=4), status=ReportStatus.DRAFT
    )
    client = bearer_client(role_users[Role.UNIT_REPORTER])
    body = client.get(f"/api/v1/projects/{park.pk}/reports", {"page_size": 2}).json()
    assert body["count"] == 3
    assert [r["month"] for r in body["items"]] == [3, 2]
    assert body["items"][0]["investment_ytd"] == "300.00"


def test_api_list_queries_do_not_grow_with_projects(library, role_users):
    client = bearer_client(role_users[Role.SUPERVISION_OFFICER])
    unit, leader = UnitFactory(), LeaderFactory()

    def grow():
        for i in range(200):
            p = ProjectFactory(
                code=f"API-{i:03d}",
                responsible_unit=unit,
                leaders=[leader],
                plan=False,
                milestones=False,
            )
            ProjectStatusFactory(project=p, period=library["march"])

    assert_queries_independent_of_size(
        lambda: client.get("/api/v1/projects", {"page_size": 200}), grow
    )


def test_api_reports_queries_do_not_grow_with_reports(library, role_users):
    park = library["park"]
    client = bearer_client(role_users[Role.SUPERVISION_OFFICER])

    def grow():
        for month in range(1, 13):
            MonthlyReportFactory(project=park, period=ReportingPeriodFactory(month=month))

    MonthlyReportFactory(project=park, period=ReportingPeriodFactory(year=2025, month=12))
    assert_queries_independent_of_size(
        lambda: client.get(f"/api/v1/projects/{park.pk}/reports"), grow
    )
