"""Reads of the monthly report workflow. Every function takes the user and returns only
what that user may see: reports follow the unit scope of the unit that files them (the
project's responsible unit); cooperating units do not read another unit's reports.
Pages that need only figures get ``values()`` rows, in a bounded number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, FilteredRelation, Q, QuerySet

from luoshi.core.permissions import Perm, has_perm, unit_scope
from luoshi.orgs.models import Unit
from luoshi.projects.choices import ReportStatus
from luoshi.projects.models import MonthlyReport, Project, ReportingPeriod, ReportPhoto

REPORTED = (ReportStatus.SUBMITTED, ReportStatus.APPROVED, ReportStatus.ACCEPTED)


def _may_read(user: Any) -> bool:
    return has_perm(user, Perm.VIEW_PROJECTS)


def report_list(
    *,
    user: Any,
    period: ReportingPeriod | None = None,
    status: str = "",
    unit_id: int | None = None,
) -> QuerySet[MonthlyReport]:
    """Reports the user may see, newest period first."""
    if not _may_read(user):
        return MonthlyReport.objects.none()
    qs = unit_scope(user).filter(MonthlyReport.objects.all(), field="unit")
    if period is not None:
        qs = qs.filter(period=period)
    if status:
        qs = qs.filter(status=status)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs.select_related("project", "period", "unit").order_by(
        "-period__year", "-period__month", "project__code", "pk"
    )


def report_get(*, user: Any, pk: int) -> MonthlyReport | None:
    """One report if the user may see it, else None (callers answer 404)."""
    return report_list(user=user).filter(pk=pk).first()


def report_detail(*, user: Any, pk: int) -> MonthlyReport | None:
    """A report with what its page shows: milestones reached and photos."""
    report = report_get(user=user, pk=pk)
    if report is not None:
        report.reached = {rm.milestone_id: rm.reached_on for rm in report.milestones_reached.all()}
        report.photo_list = list(report.photos.all())
    return report


def reportable_project(*, user: Any, pk: int) -> Project | None:
    """A project the user may see, to report on (the service checks the unit again)."""
    if not _may_read(user):
        return None
    qs = unit_scope(user).filter(Project.objects.all(), field="responsible_unit")
    return qs.select_related("responsible_unit").filter(pk=pk).first()


def project_milestones(project: Project) -> list:
    return list(project.milestones.all())


def photo_get(*, user: Any, pk: int) -> ReportPhoto | None:
    """A photo if the user may see its report, else None."""
    if not _may_read(user):
        return None
    qs = unit_scope(user).filter(ReportPhoto.objects.all(), field="report__unit")
    return qs.filter(pk=pk).first()


def reporting_rows(*, user: Any, period: ReportingPeriod) -> QuerySet:
    """The user's unit's projects of the period's year, each with its report of the period
    (if any): one query for a page of rows."""
    if not (has_perm(user, Perm.FILL_REPORTS) or has_perm(user, Perm.APPROVE_REPORTS)):
        return Project.objects.none()
    qs = unit_scope(user).filter(Project.objects.filter(year=period.year), "responsible_unit")
    return (
        qs.annotate(r=FilteredRelation("reports", condition=Q(reports__period=period)))
        .values(
            "pk",
            "code",
            "name",
            "category__name",
            report_id=F("r__id"),
            report_status=F("r__status"),
            report_late=F("r__is_late"),
            report_month=F("r__investment_month"),
            report_ytd=F("r__investment_ytd"),
            report_coordination=F("r__needs_coordination"),
        )
        .order_by("category__order", "code")
    )


def review_queue(*, user: Any, period: ReportingPeriod) -> QuerySet:
    """Approved reports of the period waiting for the office, as plain rows."""
    if not has_perm(user, Perm.ACCEPT_REPORTS):
        return MonthlyReport.objects.none()
    return (
        report_list(user=user, period=period, status=ReportStatus.APPROVED)
        .values(
            "pk",
            "project__code",
            "project__name",
            "unit__name",
            "investment_month",
            "investment_ytd",
            "is_late",
            "needs_coordination",
            "approved_at",
        )
        .order_by("unit__order", "unit__code", "project__code")
    )


def coordination_list(*, user: Any, period: ReportingPeriod) -> QuerySet:
    """Problems marked for coordination in the period's reports that reached the office
    or the unit head (drafts are the unit's own business)."""
    return (
        report_list(user=user, period=period)
        .filter(needs_coordination=True, status__in=REPORTED)
        .values("pk", "project__code", "project__name", "unit__name", "problems", "help_needed")
        .order_by("unit__order", "unit__code", "project__code")
    )


def unit_counts(*, user: Any, period: ReportingPeriod) -> list[dict[str, Any]]:
    """Per responsible unit: projects of the year, reported, late, accepted and not
    reported, for the period. Two grouped queries whatever the number of units."""
    if not has_perm(user, Perm.ACCEPT_REPORTS):
        return []
    scope = unit_scope(user)
    projects = (
        scope.filter(Project.objects.filter(year=period.year), "responsible_unit")
        .values("responsible_unit")
        .annotate(n=Count("pk"))
    )
    reports = (
        scope.filter(MonthlyReport.objects.filter(period=period), "unit")
        .values("unit")
        .annotate(
            reported=Count("pk", filter=Q(submitted_at__isnull=False)),
            late=Count("pk", filter=Q(is_late=True)),
            accepted=Count("pk", filter=Q(status=ReportStatus.ACCEPTED)),
            waiting=Count("pk", filter=Q(status=ReportStatus.APPROVED)),
        )
    )
    by_unit = {row["unit"]: row for row in reports}
    counts = {row["responsible_unit"]: row["n"] for row in projects}
    names = dict(
        Unit.objects.filter(pk__in=set(counts) | set(by_unit))
        .order_by("order", "code")
        .values_list("pk", "name")
    )
    rows = []
    for unit_id, name in names.items():
        r = by_unit.get(unit_id, {})
        n = counts.get(unit_id, 0)
        reported = r.get("reported", 0)
        rows.append(
            {
                "unit_id": unit_id,
                "unit": name,
                "projects": n,
                "reported": reported,
                "missing": max(n - reported, 0),
                "late": r.get("late", 0),
                "waiting": r.get("waiting", 0),
                "accepted": r.get("accepted", 0),
            }
        )
    return rows


def missing_reports(*, period: ReportingPeriod, user: Any) -> QuerySet:
    """Projects of the period's year (in the user's scope) whose responsible unit has not
    submitted the period's report: no report, or a draft never submitted."""
    if not _may_read(user):
        return Project.objects.none()
    submitted = MonthlyReport.objects.filter(period=period, submitted_at__isnull=False)
    qs = unit_scope(user).filter(Project.objects.filter(year=period.year), "responsible_unit")
    return (
        qs.exclude(pk__in=submitted.values("project_id"))
        .values("pk", "code", "name", "responsible_unit_id", "responsible_unit__name")
        .order_by("responsible_unit__order", "responsible_unit__code", "code")
    )


def late_reports(*, period: ReportingPeriod, user: Any) -> QuerySet[MonthlyReport]:
    """Reports of the period first submitted after the deadline (in the user's scope)."""
    return report_list(user=user, period=period).filter(is_late=True)


def period_list(*, user: Any, limit: int = 24) -> list[ReportingPeriod]:
    """The latest periods, for a period chooser."""
    if not _may_read(user):
        return []
    return list(ReportingPeriod.objects.order_by("-year", "-month")[:limit])
