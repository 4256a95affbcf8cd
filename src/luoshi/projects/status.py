"""Precomputed lamps (``ProjectStatus``): refreshed when a report is accepted or corrected,
a plan or milestone changes, or a period opens.

What counts, in the office's words:
- Investment: the 1–N月 figure of the latest report the office has **accepted** for a month
  up to the period's month. A report approved by the unit head but not yet accepted does
  not count: figures count once the office has checked them.
- Milestones: reached on the date in the milestone (set on acceptance or by import), or
  in an accepted report of the year up to the period; reached after the judging day
  counts as not reached yet. The judging day is the last day of the period's month, or
  today while that month is still running.
- Missing reports: months in a row, counted back from the period's month, whose period was
  opened, whose deadline has passed by today, and for which the project has no report that
  ever reached the office (a draft never submitted is missing; a returned one is not).
  A month whose deadline has not passed yet is not missing.
- The reason is stored written in the site's language (``settings.LANGUAGE_CODE``),
  whoever triggered the refresh, and as its code and figures, from which the pages write
  it in the reader's language.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Count
from django.utils import translation

from luoshi.core.clock import now
from luoshi.projects.choices import ReportStatus
from luoshi.projects.models import (
    Milestone,
    MonthlyPlan,
    MonthlyReport,
    Project,
    ProjectStatus,
    ReportingPeriod,
    ReportMilestone,
    YearSettings,
)
from luoshi.projects.periods import local_today
from luoshi.projects.rules import (
    LampInput,
    LampResult,
    LampSettings,
    MilestoneFact,
    count_missing_periods,
    derive_first_planned_month,
    evaluate_lamp,
    latest_accepted_ytd,
    month_end,
)

# Projects per round of queries: keeps IN lists within every database's parameter limit.
BATCH_SIZE = 500
ZERO = Decimal("0")
RATIO_PLACES = Decimal("0.0001")
UPDATE_FIELDS = [
    "lamp",
    "reason",
    "reason_data",
    "planned_ytd",
    "actual_ytd",
    "ratio",
    "computed_at",
]


def lamp_settings_for(year: int) -> LampSettings:
    """The year's thresholds as plain values (the defaults when the year has no settings)."""
    ys = YearSettings.objects.filter(year=year).first() or YearSettings(year=year)
    return lamp_settings_of(ys)


def lamp_settings_of(ys: YearSettings) -> LampSettings:
    return LampSettings(
        green_ratio=Decimal(ys.green_ratio),
        yellow_ratio=Decimal(ys.yellow_ratio),
        milestone_yellow_days=ys.milestone_yellow_days,
        milestone_red_days=ys.milestone_red_days,
        missing_periods_red=ys.missing_periods_red,
    )


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), BATCH_SIZE):
        yield ids[i : i + BATCH_SIZE]


def judging_day(period: ReportingPeriod, today: date) -> date:
    """The day a period's lamp is judged at: its month's last day, or today before that."""
    return min(month_end(period.year, period.month), today)


def status_inputs(
    *, project_ids: Iterable[int], period: ReportingPeriod, today: date | None = None
) -> dict[int, LampInput]:
    """The lamp inputs of the given projects of ``period.year`` as of ``period``, with
    five queries per batch of projects (plans, milestones, milestones in accepted reports,
    reports, periods) plus one for the year's settings."""
    today = today or local_today()
    year, month = period.year, period.month
    settings = lamp_settings_for(year)
    as_of = judging_day(period, today)
    periods = list(
        ReportingPeriod.objects.filter(year=year, month__lte=month).values_list("month", "deadline")
    )
    due_months = {m for m, deadline in periods if deadline < today}
    inputs: dict[int, LampInput] = {}
    ids = sorted(set(project_ids))
    for batch in _batches(ids):
        valid = list(Project.objects.filter(id__in=batch, year=year).values_list("id", flat=True))
        if not valid:
            continue
        plans: dict[int, list[Decimal]] = {pid: [ZERO] * 12 for pid in valid}
        for pid, m, planned in MonthlyPlan.objects.filter(project_id__in=valid).values_list(
            "project_id", "month", "planned"
        ):
            plans[pid][m - 1] = planned
        reached_in_reports: dict[int, date] = {}
        for mid, reached in ReportMilestone.objects.filter(
            report__project_id__in=valid,
            report__status=ReportStatus.ACCEPTED,
            report__period__year=year,
            report__period__month__lte=month,
        ).values_list("milestone_id", "reached_on"):
            if mid not in reached_in_reports or reached < reached_in_reports[mid]:
                reached_in_reports[mid] = reached
        milestones: dict[int, list[MilestoneFact]] = defaultdict(list)
        for mid, pid, name, planned_on, reached_on in Milestone.objects.filter(
            project_id__in=valid
        ).values_list("id", "project_id", "name", "planned_on", "reached_on"):
            dates = [d for d in (reached_on, reached_in_reports.get(mid)) if d is not None]
            milestones[pid].append(MilestoneFact(name, planned_on, min(dates) if dates else None))
        accepted: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
        filed: dict[int, set[int]] = defaultdict(set)
        for pid, m, status, submitted_at, ytd in MonthlyReport.objects.filter(
            project_id__in=valid, period__year=year, period__month__lte=month
        ).values_list("project_id", "period__month", "status", "submitted_at", "investment_ytd"):
            if status == ReportStatus.ACCEPTED:
                accepted[pid].append((m, ytd))
            if status != ReportStatus.DRAFT or submitted_at is not None:
                filed[pid].add(m)
        for pid in valid:
            plan = tuple(plans[pid])
            facts = tuple(milestones.get(pid, ()))
            first = derive_first_planned_month(year, plan, facts)
            missing = (
                count_missing_periods(
                    as_of_month=month,
                    first_month=first,
                    filed_months=filed.get(pid, ()),
                    due_months=due_months,
                )
                if first is not None
                else 0
            )
            inputs[pid] = LampInput(
                year=year,
                as_of_month=month,
                planned_by_month=plan,
                actual_ytd=latest_accepted_ytd(accepted.get(pid, ()), month),
                as_of_date=as_of,
                milestones=facts,
                missing_periods=missing,
                settings=settings,
                first_planned_month=first,
            )
    return inputs


def _row(pid: int, period: ReportingPeriod, result: LampResult, at) -> ProjectStatus:
    ratio = result.ratio.quantize(RATIO_PLACES) if result.ratio is not None else None
    if ratio is not None and abs(ratio) >= 1000:  # max_digits=7: keep absurd ratios storable
        ratio = Decimal("999.9999") if ratio > 0 else Decimal("-999.9999")
    return ProjectStatus(
        project_id=pid,
        period=period,
        lamp=result.lamp,
        reason=result.reason[:300],
        reason_data=result.reason_data,
        planned_ytd=result.planned_ytd,
        actual_ytd=result.actual_ytd if result.actual_ytd is not None else ZERO,
        ratio=ratio,
        computed_at=at,
    )


def status_refresh(
    *, project_ids: Iterable[int], period: ReportingPeriod, today: date | None = None
) -> int:
    """Recompute and store the lamp and its reason of each project as of ``period``, with a
    bounded number of queries whatever the number of projects (a fixed number per batch of
    500). Projects of another year than the period's are skipped. Returns the number of
    statuses written."""
    inputs = status_inputs(project_ids=project_ids, period=period, today=today)
    at = now()
    with translation.override(django_settings.LANGUAGE_CODE):
        rows = [_row(pid, period, evaluate_lamp(inp), at) for pid, inp in inputs.items()]
    with transaction.atomic():
        for i in range(0, len(rows), BATCH_SIZE):
            ProjectStatus.objects.bulk_create(
                rows[i : i + BATCH_SIZE],
                update_conflicts=True,
                unique_fields=["project", "period"],
                update_fields=UPDATE_FIELDS,
            )
    return len(rows)


def status_refresh_period(*, period: ReportingPeriod, today: date | None = None) -> int:
    """Refresh the lamps of every project of ``period.year`` as of ``period``."""
    ids = list(Project.objects.filter(year=period.year).values_list("id", flat=True))
    return status_refresh(project_ids=ids, period=period, today=today)


def status_lamp_counts(*, period: ReportingPeriod) -> dict[str, int]:
    """How many projects have each lamp in ``period`` (one query)."""
    return dict(
        ProjectStatus.objects.filter(period=period)
        .values_list("lamp")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("lamp", "n")
    )
