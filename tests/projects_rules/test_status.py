"""Stored lamps: what counts, bounded queries, upsert on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from luoshi.projects.choices import Lamp, ReportStatus
from luoshi.projects.models import Milestone, ProjectStatus, ReportMilestone
from luoshi.projects.status import status_refresh, status_refresh_period
from tests.helpers import count_queries
from tests.projects.factories import (
    MonthlyReportFactory,
    ProjectFactory,
    ReportingPeriodFactory,
)

pytestmark = pytest.mark.django_db

D = Decimal
LATE_IN_YEAR = dt.date(2026, 12, 20)  # every 2026 deadline up to November has passed


def status_of(project, period) -> ProjectStatus:
    return ProjectStatus.objects.get(project=project, period=period)


def test_an_accepted_report_on_plan_gives_green_with_the_figures_in_the_reason():
    project = ProjectFactory(milestones=False)  # 100 planned each month
    june = ReportingPeriodFactory(month=6)
    MonthlyReportFactory(project=project, period=june, investment_ytd=D("600.00"))
    status_refresh(project_ids=[project.id], period=june, today=LATE_IN_YEAR)
    status = status_of(project, june)
    assert status.lamp == Lamp.GREEN
    assert (status.planned_ytd, status.actual_ytd, status.ratio) == (D("600"), D("600"), D("1"))
    assert "100%" in status.reason and "600.00" in status.reason


def test_the_reason_is_written_in_the_sites_language():
    project = ProjectFactory(milestones=False)
    june = ReportingPeriodFactory(month=6)
    MonthlyReportFactory(project=project, period=june, investment_ytd=D("300.00"))
    status_refresh(project_ids=[project.id], period=june, today=LATE_IN_YEAR)
    # The catalogue may not translate it yet; the month range must at least be rendered.
    assert "50%" in status_of(project, june).reason


def test_a_report_approved_but_not_accepted_does_not_count():
    project = ProjectFactory(milestones=False)
    may, june = ReportingPeriodFactory(month=5), ReportingPeriodFactory(month=6)
    MonthlyReportFactory(project=project, period=may, investment_ytd=D("500.00"))
    MonthlyReportFactory(
        project=project, period=june, investment_ytd=D("900.00"), status=ReportStatus.APPROVED
    )
    status_refresh(project_ids=[project.id], period=june, today=LATE_IN_YEAR)
    status = status_of(project, june)
    assert status.actual_ytd == D("500.00")  # May's accepted figure against June's plan
    assert status.lamp == Lamp.YELLOW  # 500 / 600 = 83 %


def test_two_missing_reports_make_it_red_even_when_the_money_is_fine():
    project = ProjectFactory(milestones=False)
    periods = {m: ReportingPeriodFactory(month=m) for m in (4, 5, 6)}
    MonthlyReportFactory(project=project, period=periods[4], investment_ytd=D("1200.00"))
    MonthlyReportFactory(project=project, period=periods[6], status=ReportStatus.DRAFT)
    status_refresh(project_ids=[project.id], period=periods[6], today=LATE_IN_YEAR)
    status = status_of(project, periods[6])
    assert status.lamp == Lamp.RED
    assert "2" in status.reason


def test_a_returned_report_is_not_missing():
    project = ProjectFactory(milestones=False)
    periods = {m: ReportingPeriodFactory(month=m) for m in (4, 5, 6)}
    MonthlyReportFactory(project=project, period=periods[4], investment_ytd=D("1200.00"))
    MonthlyReportFactory(project=project, period=periods[5], status=ReportStatus.RETURNED)
    status_refresh(project_ids=[project.id], period=periods[6], today=LATE_IN_YEAR)
    assert status_of(project, periods[6]).lamp == Lamp.GREEN


def test_a_month_before_its_deadline_is_not_missing_yet():
    project = ProjectFactory(milestones=False)
    may, june = ReportingPeriodFactory(month=5), ReportingPeriodFactory(month=6)
    MonthlyReportFactory(project=project, period=may, investment_ytd=D("1200.00"))
    # 3 July: June's report is due on the 5th; nothing is missing yet.
    status_refresh(project_ids=[project.id], period=june, today=dt.date(2026, 7, 3))
    assert status_of(project, june).lamp == Lamp.GREEN


def test_a_milestone_reached_in_an_accepted_report_counts_as_reached():
    project = ProjectFactory(
        milestones=[dict(kind="start", name="开工", planned_on=dt.date(2026, 3, 1))]
    )
    june = ReportingPeriodFactory(month=6)
    report = MonthlyReportFactory(project=project, period=june, investment_ytd=D("600.00"))
    status_refresh(project_ids=[project.id], period=june, today=LATE_IN_YEAR)
    assert status_of(project, june).lamp == Lamp.RED and "开工" in status_of(project, june).reason
    ReportMilestone.objects.create(
        report=report,
        milestone=Milestone.objects.get(project=project),
        reached_on=dt.date(2026, 6, 2),
    )
    status_refresh(project_ids=[project.id], period=june, today=LATE_IN_YEAR)
    assert status_of(project, june).lamp == Lamp.GREEN


def test_refreshing_again_updates_the_same_row():
    project = ProjectFactory(milestones=False)
    june = ReportingPeriodFactory(month=6)
    report = MonthlyReportFactory(project=project, period=june, investment_ytd=D("300.00"))
    status_refresh(project_ids=[project.id], period=june, today=LATE_IN_YEAR)
    assert status_of(project, june).lamp == Lamp.RED
    report.investment_ytd = D("600.00")
    report.save()
    status_refresh(project_ids=[project.id], period=june, today=LATE_IN_YEAR)
    assert ProjectStatus.objects.filter(project=project).count() == 1
    assert status_of(project, june).lamp == Lamp.GREEN


def test_projects_of_another_year_are_left_alone():
    other = ProjectFactory(year=2025, start_year=2024, milestones=False)
    june = ReportingPeriodFactory(month=6)
    assert status_refresh(project_ids=[other.id], period=june) == 0
    assert not ProjectStatus.objects.exists()


def _make_projects(n: int, periods) -> list[int]:
    ids = []
    for _ in range(n):
        project = ProjectFactory()
        for period in periods:
            MonthlyReportFactory(project=project, period=period)
        ids.append(project.id)
    return ids


def test_refresh_queries_do_not_grow_with_the_number_of_projects():
    periods = [ReportingPeriodFactory(month=m) for m in (1, 2, 3)]
    few = _make_projects(3, periods)
    many = few + _make_projects(97, periods)
    status_refresh(project_ids=few, period=periods[-1])  # warm: settings, content types
    with count_queries() as q_few:
        status_refresh(project_ids=few, period=periods[-1])
    with count_queries() as q_many:
        written = status_refresh(project_ids=many, period=periods[-1])
    assert written == 100
    assert len(q_few) == len(q_many), [q["sql"] for q in q_many.captured_queries]
    assert ProjectStatus.objects.filter(period=periods[-1]).count() == 100


def test_refresh_of_a_period_covers_every_project_of_its_year():
    periods = [ReportingPeriodFactory(month=m) for m in (1, 2)]
    ids = _make_projects(4, periods)
    assert status_refresh_period(period=periods[-1]) == 4
    assert set(
        ProjectStatus.objects.filter(period=periods[-1]).values_list("project_id", flat=True)
    ) == set(ids)
