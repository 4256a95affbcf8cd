"""A project's page: facts, lamp and its reason, chart data, milestones, report history."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from luoshi.core.clock import frozen
from luoshi.orgs.choices import Role
from luoshi.projects.choices import MilestoneKind, ReportStatus
from luoshi.projects.models import ReportPhoto
from tests.helpers import queries_of
from tests.orgs.factories import LeaderFactory, UnitFactory
from tests.projects.factories import (
    MonthlyReportFactory,
    ProjectFactory,
    ProjectStatusFactory,
    ReportingPeriodFactory,
)

pytestmark = pytest.mark.django_db


def _office(role_users, make_client):
    return make_client(role_users[Role.SUPERVISION_OFFICER])


def test_the_page_shows_the_lamp_with_its_reason(library, role_users, make_client):
    page = _office(role_users, make_client).get(f"/projects/{library['school'].pk}/")
    text = page.content.decode()
    assert "1–3月完成投资 100.00万元，为计划的 33%，低于 80%" in text
    assert 'class="lamp lamp-red"' in text


def test_the_page_shows_the_projects_facts(library, role_users, make_client, unit_a):
    text = _office(role_users, make_client).get(f"/projects/{library['road'].pk}/")
    text = text.content.decode()
    for fact in ("JT-003", "县道改扩建工程", "基础设施", "10,000.00", "1,200.00", "2025–2027"):
        assert fact in text
    assert unit_a.short_name in text  # the cooperating unit


def test_a_unit_reporter_gets_404_for_another_units_project(library, role_users, make_client):
    client = make_client(role_users[Role.UNIT_REPORTER])
    assert client.get(f"/projects/{library['road'].pk}/").status_code == 404
    assert client.get(f"/projects/{library['park'].pk}/").status_code == 200


def test_the_chart_gets_the_cumulative_plan_and_accepted_actuals(library, role_users, make_client):
    park = library["park"]
    MonthlyReportFactory(project=park, period=library["march"], investment_month=Decimal("90"))
    MonthlyReportFactory(
        project=park,
        period=ReportingPeriodFactory(year=2026, month=4),
        status=ReportStatus.SUBMITTED,
        investment_month=Decimal("50"),
    )
    response = _office(role_users, make_client).get(f"/projects/{park.pk}/")
    chart = response.context["chart"]
    assert chart["planned"][:3] == ["100.00", "200.00", "300.00"]
    assert chart["planned"][-1] == "1200.00"
    # Only the accepted March report counts; April is submitted, not accepted.
    assert chart["actual"][2] == "270.00"
    assert chart["actual"][3] is None
    text = response.content.decode()
    assert 'id="project-chart-data" type="application/json"' in text
    assert "project_chart.js" in text and "echarts.min.js" in text
    assert "<script>" not in text  # no inline script (CSP)
    json.loads(text.split('id="project-chart-data" type="application/json">')[1].split("<")[0])


def test_an_overdue_milestone_is_marked(library, role_users, make_client):
    with frozen(dt.datetime(2026, 4, 15, tzinfo=dt.UTC)):
        response = _office(role_users, make_client).get(f"/projects/{library['park'].pk}/")
    rows = {r["m"].name: r for r in response.context["milestones"]}
    assert rows["开工"]["overdue"]  # planned 1 March, not reached
    assert not rows["竣工"]["overdue"]
    assert 'class="overdue"' in response.content.decode()


def test_the_history_lists_submitted_reports_not_drafts(library, role_users, make_client):
    park = library["park"]
    MonthlyReportFactory(project=park, period=library["march"], progress_text="厂房封顶")
    MonthlyReportFactory(
        project=park,
        period=ReportingPeriodFactory(year=2026, month=4),
        status=ReportStatus.DRAFT,
        progress_text="草稿内容",
    )
    text = _office(role_users, make_client).get(f"/projects/{park.pk}/").content.decode()
    assert "厂房封顶" in text
    assert "草稿内容" not in text


def test_photos_link_to_the_photo_view(library, role_users, make_client):
    report = MonthlyReportFactory(project=library["park"], period=library["march"])
    photo = ReportPhoto.objects.create(
        report=report,
        path="p.jpg",
        thumb_path="t.jpg",
        content_type="image/jpeg",
        size=10,
        sha256="0" * 64,
    )
    text = _office(role_users, make_client).get(f"/projects/{library['park'].pk}/")
    text = text.content.decode()
    assert f'href="/projects/reporting/photos/{photo.pk}/"' in text
    assert f'src="/projects/reporting/photos/{photo.pk}/thumb/"' in text


def test_detail_queries_do_not_grow_with_reports_or_milestones(role_users, make_client):
    unit = UnitFactory()
    leaders = [LeaderFactory(), LeaderFactory()]
    client = _office(role_users, make_client)

    def project_with(n_reports: int, n_milestones: int):
        project = ProjectFactory(
            responsible_unit=unit,
            leaders=leaders,
            cooperating_units=[UnitFactory()],
            milestones=[
                dict(
                    kind=MilestoneKind.OTHER,
                    name=f"节点{i}",
                    planned_on=dt.date(2026, 1 + i % 12, 1),
                )
                for i in range(n_milestones)
            ],
        )
        for i in range(n_reports):
            # Two years of reports: 2025's periods belong to an earlier list, but the
            # history query must not care how many there are.
            period = ReportingPeriodFactory(year=2025 + i // 12, month=1 + i % 12)
            report = MonthlyReportFactory(project=project, period=period)
            ReportPhoto.objects.create(
                report=report,
                path="p",
                thumb_path="t",
                content_type="image/jpeg",
                size=1,
                sha256="0" * 64,
            )
            ProjectStatusFactory(project=project, period=period)
        return project

    small, large = project_with(2, 3), project_with(24, 10)
    queries_of(lambda: client.get(f"/projects/{small.pk}/"))  # warm caches
    assert queries_of(lambda: client.get(f"/projects/{small.pk}/")) == queries_of(
        lambda: client.get(f"/projects/{large.pk}/")
    )
