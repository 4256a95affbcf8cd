"""The report API: the same rules as the pages, through the same services."""

from __future__ import annotations

import pytest

from luoshi.core.clock import frozen
from luoshi.projects.choices import ReportStatus
from luoshi.projects.models import MonthlyReport
from tests.api.conftest import bearer_client
from tests.helpers import assert_queries_independent_of_size
from tests.projects.factories import MonthlyReportFactory, ProjectFactory
from tests.reports.conftest import at

pytestmark = pytest.mark.django_db
JSON = "application/json"


def body(**extra) -> dict:
    data = {"investment_month": "120.50", "progress_text": "施工中", "milestones": []}
    data.update(extra)
    return data


def _create(client, world, **extra):
    return client.post(
        "/api/v1/reports",
        {"project": world.project_a.pk, "year": 2026, "month": 10, **body(**extra)},
        content_type=JSON,
    )


def test_the_whole_loop_through_the_api(world):
    reporter = bearer_client(world.reporter_a)
    start = world.project_a.milestones.first()
    response = _create(
        reporter, world, milestones=[{"milestone": start.pk, "reached_on": "2026-10-02"}]
    )
    assert response.status_code == 201, response.content
    report = response.json()
    assert report["status"] == "draft" and report["investment_ytd"] == "120.50"
    assert report["milestones"] == [{"milestone": start.pk, "reached_on": "2026-10-02"}]
    rid = report["id"]
    response = reporter.put(
        f"/api/v1/reports/{rid}", {**body(investment_month="150"), "version": 1}, content_type=JSON
    )
    assert response.status_code == 200 and response.json()["version"] == 2
    assert reporter.post(f"/api/v1/reports/{rid}/submit").json()["status"] == "submitted"
    head = bearer_client(world.head_a)
    assert head.post(f"/api/v1/reports/{rid}/approve").json()["status"] == "approved"
    office = bearer_client(world.office)
    accepted = office.post(f"/api/v1/reports/{rid}/accept").json()
    assert accepted["status"] == "accepted" and accepted["accepted_at"]


def test_a_stale_version_answers_409_and_changes_nothing(world):
    reporter = bearer_client(world.reporter_a)
    rid = _create(reporter, world).json()["id"]
    with frozen(at(2026, 11, 3, 9, 5)):
        reporter.put(f"/api/v1/reports/{rid}", {**body(), "version": 1}, content_type=JSON)
    response = reporter.put(
        f"/api/v1/reports/{rid}", {**body(investment_month="9"), "version": 1}, content_type=JSON
    )
    assert response.status_code == 409
    assert "saved this report at 09:05" in response.json()["detail"]
    assert MonthlyReport.objects.get().investment_month != 9


def test_bad_input_gets_its_precise_answer(world):
    reporter = bearer_client(world.reporter_a)
    assert _create(reporter, world, investment_month="-1").status_code == 422
    assert _create(reporter, world, investment_month="abc").status_code == 422
    response = reporter.post(
        "/api/v1/reports",
        {"project": world.project_a.pk, "year": 2026, "month": 7, **body()},
        content_type=JSON,
    )
    assert response.status_code == 400 and "open for 2026-10 only" in response.json()["detail"]
    assert not MonthlyReport.objects.exists()


def test_another_units_project_and_report_are_not_found(world):
    other = bearer_client(world.reporter_b)
    assert _create(other, world).status_code == 404
    rid = _create(bearer_client(world.reporter_a), world).json()["id"]
    assert other.get(f"/api/v1/reports/{rid}").status_code == 404
    assert other.post(f"/api/v1/reports/{rid}/submit").status_code == 404
    assert bearer_client(world.head_b).post(f"/api/v1/reports/{rid}/approve").status_code == 404
    assert [r["id"] for r in other.get("/api/v1/reports").json()["items"]] == []


def test_an_illegal_transition_and_a_return_without_reason_are_refused(world):
    reporter = bearer_client(world.reporter_a)
    rid = _create(reporter, world).json()["id"]
    head = bearer_client(world.head_a)
    response = head.post(f"/api/v1/reports/{rid}/approve")
    assert response.status_code == 400 and "is Draft" in response.json()["detail"]
    reporter.post(f"/api/v1/reports/{rid}/submit")
    response = head.post(f"/api/v1/reports/{rid}/return", {"reason": " "}, content_type=JSON)
    assert response.status_code == 400 and "Say why" in response.json()["detail"]
    response = head.post(f"/api/v1/reports/{rid}/return", {"reason": "补充"}, content_type=JSON)
    assert response.json()["status"] == ReportStatus.RETURNED


def test_the_list_filters_by_period_status_and_unit(world):
    MonthlyReportFactory(project=world.project_a, period=world.period)
    MonthlyReportFactory(project=world.project_b, period=world.period, status="draft")
    office = bearer_client(world.office)
    items = office.get("/api/v1/reports?year=2026&month=10&status=accepted").json()["items"]
    assert [i["project"]["code"] for i in items] == ["XM-A"]
    items = office.get(f"/api/v1/reports?unit={world.unit_b.pk}").json()["items"]
    assert [i["project"]["code"] for i in items] == ["XM-B"]


def test_the_list_query_count_does_not_grow(world):
    client = bearer_client(world.office)
    MonthlyReportFactory(project=world.project_a, period=world.period)

    def grow():
        for _ in range(20):
            MonthlyReportFactory(
                project=ProjectFactory(responsible_unit=world.unit_a), period=world.period
            )

    assert_queries_independent_of_size(lambda: client.get("/api/v1/reports"), grow)
