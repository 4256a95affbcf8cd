"""``luoshi seed`` for key projects: the demo county's two project lists with their monthly
reports, and the province's million reports written in bulk."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Count, Sum

from luoshi.core.models import AuditEntry
from luoshi.orgs.seed import seed_reset, seed_run
from luoshi.projects.choices import Lamp, ReportStatus
from luoshi.projects.models import (
    Milestone,
    MonthlyPlan,
    MonthlyReport,
    Project,
    ProjectStatus,
    ReportingPeriod,
    ReportMilestone,
)

pytestmark = pytest.mark.django_db

ALL_STATES = {s.value for s in ReportStatus}


@pytest.fixture(scope="module")
def county_once(django_db_setup, django_db_blocker):
    """The county seeded once for the module, inside a transaction rolled back at its end;
    each test runs in a savepoint of it, so a test that reseeds leaves the next one intact."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_run(scale="county")
        transaction.set_rollback(True)


@pytest.fixture
def county(county_once, db):
    return county_once


def open_period() -> ReportingPeriod:
    return ReportingPeriod.objects.get(year=2026, month=10)


def project_snapshot() -> list[tuple]:
    return list(
        Project.objects.order_by("year", "code").values_list(
            "year", "code", "name", "total_investment", "annual_plan", "responsible_unit__code"
        )
    )


def test_each_year_lists_about_150_projects_many_continuing_under_the_same_code(county):
    per_year = dict(Project.objects.values_list("year").annotate(n=Count("id")))
    assert set(per_year) == {2025, 2026}
    assert all(140 <= n <= 160 for n in per_year.values())
    in_both = Project.objects.values("code").annotate(n=Count("id")).filter(n=2).count()
    assert in_both >= 60
    # A code names the year the project joined the list and its category: 2026-GY-001.
    codes = Project.objects.filter(year=2026).values_list("code", "category__code")
    assert all(code[:4] <= "2026" and code[5:7] == cat for code, cat in codes)
    assert Project.objects.filter(year=2026, code__startswith="2026-").exists()
    # Realistic Chinese names, unique within a year, searchable by pinyin initials.
    names = list(Project.objects.filter(year=2026).values_list("name", "pinyin_initials"))
    assert len({n for n, _ in names}) == len(names)
    assert all(n.endswith(("项目", "工程", "期）")) for n, _ in names)
    assert all(initials and initials.isascii() for _, initials in names)


def test_amounts_are_in_realistic_sizes_with_two_decimals(county):
    for total, annual in Project.objects.values_list("total_investment", "annual_plan"):
        assert Decimal("500") <= total <= Decimal("200000")
        assert Decimal("0") < annual <= total
        assert total.as_tuple().exponent == -2
    # Several categories, with industry and infrastructure the biggest.
    counts = Counter(Project.objects.filter(year=2026).values_list("category__name", flat=True))
    assert len(counts) >= 6
    assert counts["工业项目"] > counts["现代农业"]


def test_the_monthly_plans_add_up_exactly_to_the_annual_plan(county):
    sums = dict(MonthlyPlan.objects.values_list("project").annotate(total=Sum("planned")))
    for pk, annual in Project.objects.values_list("pk", "annual_plan"):
        assert sums[pk] == annual
    # The curve is low around the Spring Festival: February plans less than June overall.
    by_month = dict(MonthlyPlan.objects.values_list("month").annotate(total=Sum("planned")))
    assert by_month[2] < by_month[6] / 2


def test_milestone_weights_add_up_to_100_where_a_project_weighs_them(county):
    weights: dict[int, list] = defaultdict(list)
    for pk, weight in Milestone.objects.values_list("project", "weight"):
        weights[pk].append(weight)
    assert all(4 <= len(w) <= 7 for w in weights.values())
    weighted = [w for w in weights.values() if all(x is not None for x in w)]
    assert len(weighted) >= 0.8 * len(weights)
    assert all(sum(w) == 100 for w in weighted)
    # Unweighted projects leave every weight blank, never half of them.
    assert all(all(x is None for x in w) for w in weights.values() if w not in weighted)


def test_the_open_period_holds_reports_in_every_state_and_some_missing(county):
    period = open_period()
    states = Counter(period.reports.values_list("status", flat=True))
    assert set(states) == ALL_STATES
    projects = Project.objects.filter(year=2026).count()
    assert sum(states.values()) < projects  # some projects have not reported at all
    returned = period.reports.filter(status=ReportStatus.RETURNED)
    assert all(returned.values_list("return_reason", flat=True))
    drafts = period.reports.filter(status=ReportStatus.DRAFT)
    assert not drafts.filter(submitted_at__isnull=False).exists()


@pytest.mark.parametrize("unit_code", ["FGJ", "CGZ"])
def test_the_demo_units_have_projects_with_every_state_of_the_loop(county, unit_code):
    assert Project.objects.filter(year=2026, responsible_unit__code=unit_code).count() >= 6
    states = set(
        open_period().reports.filter(unit__code=unit_code).values_list("status", flat=True)
    )
    assert states == ALL_STATES
    # …and one project whose report is still missing.
    reported = open_period().reports.filter(unit__code=unit_code).values("project")
    assert (
        Project.objects.filter(year=2026, responsible_unit__code=unit_code)
        .exclude(pk__in=reported)
        .exists()
    )


def test_past_reports_are_accepted_some_late_and_a_few_missing(county):
    past = MonthlyReport.objects.exclude(period=open_period())
    assert set(past.values_list("status", flat=True)) == {ReportStatus.ACCEPTED}
    late = past.filter(is_late=True)
    assert 0.02 * past.count() < late.count() < 0.25 * past.count()
    for report in past.select_related("period")[:500]:
        assert report.is_late == (report.submitted_at.date() > report.period.deadline)
        assert report.submitted_at <= report.approved_at <= report.accepted_at
    # A few project-months have no report at all.
    expected = sum(
        13 - first
        for first in MonthlyPlan.objects.filter(project__year=2025, planned__gt=0)
        .values("project")
        .annotate(first=models_min("month"))
        .values_list("first", flat=True)
    )
    filed = MonthlyReport.objects.filter(period__year=2025).count()
    assert 0.9 * expected < filed < expected


def models_min(field: str):
    from django.db.models import Min

    return Min(field)


def test_year_to_date_investment_adds_up_and_never_falls(county):
    rows = MonthlyReport.objects.order_by("project", "period__month").values_list(
        "project",
        "investment_month",
        "investment_ytd",
        "investment_since_start",
        "project__total_investment",
    )
    running: dict[int, Decimal] = defaultdict(Decimal)
    for pk, month, ytd, since, total in rows:
        running[pk] += month
        assert running[pk] == ytd
        assert month >= 0
        assert ytd <= since <= total


def test_progress_problems_and_help_requests_read_like_reports(county):
    reports = MonthlyReport.objects.all()
    assert not reports.filter(progress_text="").exists()
    assert reports.exclude(problems="").count() > 50
    flagged = reports.filter(needs_coordination=True)
    assert flagged.exists()
    assert not flagged.filter(help_needed="").exists()


def test_milestones_reached_are_backed_by_accepted_reports(county):
    reached = Milestone.objects.filter(reached_on__isnull=False)
    assert reached.count() > 100
    assert ReportMilestone.objects.filter(report__status=ReportStatus.ACCEPTED).exists()
    # A milestone counts as reached only up to the last month the office accepted.
    for m in reached.select_related("project")[:300]:
        assert m.reached_on.year <= m.project.year


def test_periods_run_from_2025_01_to_2026_10_due_on_the_fifth(county):
    periods = list(ReportingPeriod.objects.order_by("year", "month"))
    assert (periods[0].year, periods[0].month) == (2025, 1)
    assert (periods[-1].year, periods[-1].month) == (2026, 10)
    assert len(periods) == 22
    assert all(p.deadline.day == 5 for p in periods)
    assert periods[-1].deadline.isoformat() == "2026-11-05"
    # Past periods were locked after their review meeting; the last two are open.
    assert all(p.is_locked for p in periods[:-2])
    assert not any(p.is_locked for p in periods[-2:])


def test_every_period_has_lamps_mostly_green_with_some_red(county):
    per_period = ProjectStatus.objects.values("period").annotate(n=Count("id"))
    assert len(per_period) == 22
    lamps = Counter(
        ProjectStatus.objects.filter(period__year=2026, period__month=9).values_list(
            "lamp", flat=True
        )
    )
    total = sum(lamps.values())
    assert total == Project.objects.filter(year=2026).count()
    assert lamps[Lamp.GREEN] > total / 2
    assert 0.05 * total < lamps[Lamp.RED] < 0.4 * total
    assert lamps[Lamp.YELLOW] > 0


def test_the_whole_seed_leaves_one_audit_entry(county):
    assert AuditEntry.objects.count() == 1


def test_the_same_seed_gives_the_same_projects_and_figures(county):
    first = project_snapshot()
    reports = list(
        MonthlyReport.objects.order_by(
            "project__year", "project__code", "period__month"
        ).values_list("project__code", "period__month", "status", "investment_ytd")
    )
    seed_reset()
    seed_run(scale="county")
    assert project_snapshot() == first
    assert (
        list(
            MonthlyReport.objects.order_by(
                "project__year", "project__code", "period__month"
            ).values_list("project__code", "period__month", "status", "investment_ytd")
        )
        == reports
    )
    seed_reset()
    seed_run(scale="county", seed=7)
    assert project_snapshot() != first
