"""``luoshi seed --scale province`` for key projects, at a small size: the same shape as
20,000 projects a year over six years, written in bulk."""

from __future__ import annotations

import pytest
from django.db.models import Sum

from luoshi.core.models import AuditEntry
from luoshi.orgs.seed import seed_reset, seed_run
from luoshi.projects import seed as project_seed
from luoshi.projects.choices import ReportStatus
from luoshi.projects.models import (
    MonthlyPlan,
    MonthlyReport,
    Project,
    ProjectStatus,
    ReportingPeriod,
)
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

ALL_STATES = {s.value for s in ReportStatus}


def project_snapshot() -> list[tuple]:
    return list(
        Project.objects.order_by("year", "code").values_list(
            "year", "code", "name", "total_investment", "annual_plan", "responsible_unit__code"
        )
    )


def open_period() -> ReportingPeriod:
    return ReportingPeriod.objects.get(year=2026, month=10)


SIZE = {"projects": 60}


@pytest.fixture
def small_province(monkeypatch):
    monkeypatch.setattr(project_seed, "province_size", lambda ctx: SIZE["projects"])
    monkeypatch.setattr(project_seed, "PROVINCE_SLOTS_PER_CHUNK", 25)
    yield
    SIZE["projects"] = 60


def province(projects: int | None = None) -> None:
    if projects is not None:
        SIZE["projects"] = projects
    seed_run(scale="province", units=300, users=400)


def test_the_province_lists_its_projects_every_year_with_a_report_a_month(small_province):
    province()
    years = project_seed.PROVINCE_YEARS
    assert Project.objects.count() == 60 * len(years)
    assert set(Project.objects.values_list("year", flat=True)) == set(years)
    reports = MonthlyReport.objects.count()
    months = 12 * (len(years) - 1) + 10
    assert 0.85 * 60 * months < reports <= 60 * months
    sums = dict(MonthlyPlan.objects.values_list("project").annotate(total=Sum("planned")))
    assert all(
        sums[pk] == annual for pk, annual in Project.objects.values_list("pk", "annual_plan")
    )
    # Lamps for the latest period only, one per project of the year.
    assert set(ProjectStatus.objects.values_list("period__year", "period__month")) == {(2026, 10)}
    assert ProjectStatus.objects.count() == 60
    # The demo reporters' units have projects, with every state in the open period.
    for username in ("reporter_fgj", "reporter_town"):
        states = set(
            open_period()
            .reports.filter(unit__users__username=username)
            .values_list("status", flat=True)
        )
        assert states == ALL_STATES
    # One audit entry for the run, none per row.
    assert AuditEntry.objects.count() == 1


def test_the_province_is_written_in_batches_not_row_by_row(small_province):
    with count_queries() as small:
        province(30)
    seed_reset()
    with count_queries() as large:
        province(50)
    # Same number of chunks (25 slots), so the same statements carry more rows.
    assert len(large.captured_queries) <= len(small.captured_queries) + 50
    assert MonthlyReport.objects.count() > 2000


def test_a_province_cut_at_fewer_units_gets_fewer_projects():
    seed_run(scale="province", units=300, users=400)
    assert Project.objects.filter(year=2026).count() == 30


def test_the_province_is_deterministic(small_province):
    province()
    first = project_snapshot()
    seed_reset()
    province()
    assert project_snapshot() == first
