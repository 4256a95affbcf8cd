"""Reporting periods (填报期): opening one with its deadline, locking it after the review
meeting, and which period users report on today.

Decisions, in the office's words:
- The report of month N is due on the year's ``deadline_day`` of month N+1 (default the
  5th). When the year counts in working days it is the ``deadline_day``-th working day of
  month N+1, statutory holidays and adjusted working weekends (调休) respected. A deadline
  in calendar days is taken literally, even on a holiday: the office chose calendar days.
- A period's deadline is fixed when the period is created; changing the year's settings
  later does not move the deadlines of periods already open.
- The period open for reporting is the month before today's month, for the whole month:
  June is reported in July; a report after the deadline is accepted but marked late.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.core.audit import audit_record, snapshot
from luoshi.core.calendar import WorkingCalendar
from luoshi.core.choices import AuditAction
from luoshi.core.clock import now
from luoshi.core.errors import DomainError
from luoshi.core.permissions import Perm, require
from luoshi.projects.models import ReportingPeriod, YearSettings
from luoshi.projects.rules import month_end

PERIOD_FIELDS = ["year", "month", "deadline", "locked_at", "locked_by"]


def year_settings_get(*, year: int) -> YearSettings:
    """The settings of ``year``, created with the defaults when the office has not set
    them yet."""
    settings, _created = YearSettings.objects.get_or_create(year=year)
    return settings


def _check_month(year: int, month: int) -> None:
    if not 1 <= month <= 12:
        raise DomainError(_("A month runs from 1 to 12."), field="month")
    if not 2000 <= year <= 2100:
        raise DomainError(_("The year must lie between 2000 and 2100."), field="year")


def period_deadline(*, year: int, month: int, settings: YearSettings) -> date:
    """The deadline of the report on ``year``-``month`` under ``settings`` (see the module
    docstring). Raises ``CalendarUnknownError`` when working days are needed for a year no
    source covers."""
    next_first = month_end(year, month) + timedelta(days=1)
    if settings.deadline_in_working_days:
        last = month_end(next_first.year, next_first.month)
        # n working days after the last day of the month reported on = the n-th working day
        # of the next month (the calendar check refuses a year it does not know).
        return WorkingCalendar(next_first, last + timedelta(days=40)).add_working_days(
            next_first - timedelta(days=1), settings.deadline_day
        )
    return next_first.replace(day=settings.deadline_day)


def period_get_or_create(*, year: int, month: int) -> ReportingPeriod:
    """The period of ``year``-``month``, created with the deadline of the year's settings
    (e.g. the 5th of the next month, or the 5th working day) when it does not exist yet.
    Nothing is created when the deadline cannot be computed (unknown calendar year)."""
    _check_month(year, month)
    existing = ReportingPeriod.objects.filter(year=year, month=month).first()
    if existing is not None:
        return existing
    deadline = period_deadline(year=year, month=month, settings=year_settings_get(year=year))
    try:
        with transaction.atomic():
            period = ReportingPeriod.objects.create(year=year, month=month, deadline=deadline)
            audit_record(
                action=AuditAction.CREATE, obj=period, after=snapshot(period, PERIOD_FIELDS)
            )
    except IntegrityError:  # created meanwhile by another request
        return ReportingPeriod.objects.get(year=year, month=month)
    return period


def local_today() -> date:
    """Today in the county's time zone, from the one clock."""
    return timezone.localtime(now()).date()


def period_open_for_reporting(*, today: date | None = None) -> ReportingPeriod:
    """The period users report on today: the month before today's month (in January, the
    December of the year before), created when needed."""
    today = today or local_today()
    last_month = today.replace(day=1) - timedelta(days=1)
    return period_get_or_create(year=last_month.year, month=last_month.month)


def period_is_past_deadline(*, period: ReportingPeriod, today: date | None = None) -> bool:
    """True once the deadline day is over: a report first submitted then is late."""
    return (today or local_today()) > period.deadline


@transaction.atomic
def period_lock(*, actor: Any, period: ReportingPeriod) -> ReportingPeriod:
    """Lock a period after the review meeting: reports of a locked period change only by an
    audited correction of the office."""
    require(actor, Perm.MANAGE_PROJECTS)
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_locked:
        raise DomainError(_("Period %(period)s is already locked.") % {"period": period})
    before = snapshot(period, PERIOD_FIELDS)
    period.locked_at = now()
    period.locked_by = actor
    period.save(update_fields=["locked_at", "locked_by"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=period,
        before=before,
        after=snapshot(period, PERIOD_FIELDS),
    )
    return period


@transaction.atomic
def period_unlock(*, actor: Any, period: ReportingPeriod, reason: str) -> ReportingPeriod:
    """Unlock a locked period, for a correction the office must explain: the reason goes
    into the audit trail."""
    require(actor, Perm.MANAGE_PROJECTS)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the period is unlocked."), field="reason")
    if len(reason) > 500:
        raise DomainError(_("Keep the reason under 500 characters."), field="reason")
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if not period.is_locked:
        raise DomainError(_("Period %(period)s is not locked.") % {"period": period})
    before = snapshot(period, PERIOD_FIELDS)
    period.locked_at = None
    period.locked_by = None
    period.save(update_fields=["locked_at", "locked_by"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=period,
        before=before,
        after={**snapshot(period, PERIOD_FIELDS), "unlock_reason": reason},
    )
    return period


# --------------------------------------------------------------------------- year settings

YEAR_SETTINGS_FIELDS = [
    "year",
    "green_ratio",
    "yellow_ratio",
    "milestone_yellow_days",
    "milestone_red_days",
    "missing_periods_red",
    "deadline_day",
    "deadline_in_working_days",
]
_EDITABLE = YEAR_SETTINGS_FIELDS[1:]


def _validate_year_settings(data: dict[str, Any]) -> None:
    green, yellow = Decimal(data["green_ratio"]), Decimal(data["yellow_ratio"])
    if not Decimal("0") < green <= Decimal("1"):
        raise DomainError(_("Green must start above 0 % and at most at 100 %."), field="green_pct")
    if not Decimal("0") <= yellow < green:
        raise DomainError(
            _("Yellow must start below green (and not below 0 %)."), field="yellow_pct"
        )
    if not 0 < data["milestone_yellow_days"] < data["milestone_red_days"]:
        raise DomainError(
            _("The days for yellow must be more than 0 and fewer than the days for red."),
            field="milestone_yellow_days",
        )
    if data["milestone_red_days"] > 3650:
        raise DomainError(_("At most 3,650 days."), field="milestone_red_days")
    if not 1 <= data["missing_periods_red"] <= 12:
        raise DomainError(_("Between 1 and 12 periods."), field="missing_periods_red")
    if not 1 <= data["deadline_day"] <= 28:
        raise DomainError(_("The deadline day runs from 1 to 28."), field="deadline_day")


@transaction.atomic
def year_settings_save(*, actor: Any, year: int, data: dict[str, Any]) -> YearSettings:
    """Create or change the settings of ``year`` (ratios as fractions: 0.95 = 95 %).
    Yellow starts below green, green at most at 100 %, the milestone days for yellow are
    fewer than for red. Periods already open keep their deadlines."""
    require(actor, Perm.MANAGE_PROJECTS)
    if not 2000 <= year <= 2100:
        raise DomainError(_("The year must lie between 2000 and 2100."), field="year")
    values = {name: data[name] for name in _EDITABLE}
    _validate_year_settings(values)
    obj = YearSettings.objects.select_for_update().filter(year=year).first()
    if obj is None:
        obj = YearSettings.objects.create(year=year, **values)
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            obj=obj,
            after=snapshot(obj, YEAR_SETTINGS_FIELDS),
        )
        return obj
    before = snapshot(obj, YEAR_SETTINGS_FIELDS)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save(update_fields=_EDITABLE)
    obj.refresh_from_db()
    after = snapshot(obj, YEAR_SETTINGS_FIELDS)
    if after != before:
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=obj, before=before, after=after)
    return obj


# --------------------------------------------------------------------------- reads


def period_rows(*, year: int, today: date | None = None) -> list[dict[str, Any]]:
    """The periods of ``year`` with their report counts and lamps, in four queries whatever
    the number of projects and reports: reports filed (submitted at least once), accepted,
    late, and not filed (projects of the year without a filed report — "missing" once the
    deadline has passed)."""
    from django.db.models import Count, Q

    from luoshi.projects.choices import ReportStatus
    from luoshi.projects.models import MonthlyReport, Project, ProjectStatus

    today = today or local_today()
    periods = list(ReportingPeriod.objects.filter(year=year).select_related("locked_by"))
    project_count = Project.objects.filter(year=year).count()
    filed = ~Q(status=ReportStatus.DRAFT) | Q(submitted_at__isnull=False)
    counts = {
        row["period_id"]: row
        for row in MonthlyReport.objects.filter(period__year=year, project__year=year)
        .values("period_id")
        .annotate(
            filed=Count("id", filter=filed),
            accepted=Count("id", filter=Q(status=ReportStatus.ACCEPTED)),
            late=Count("id", filter=Q(is_late=True)),
        )
        .order_by()
    }
    lamps: dict[int, dict[str, int]] = {}
    for period_id, lamp, n in (
        ProjectStatus.objects.filter(period__year=year)
        .values_list("period_id", "lamp")
        .annotate(n=Count("id"))
        .order_by()
    ):
        lamps.setdefault(period_id, {})[lamp] = n
    rows = []
    for period in periods:
        c = counts.get(period.pk, {})
        filed_n = c.get("filed", 0)
        rows.append(
            {
                "period": period,
                "projects": project_count,
                "filed": filed_n,
                "accepted": c.get("accepted", 0),
                "late": c.get("late", 0),
                "not_filed": max(project_count - filed_n, 0),
                "past_deadline": today > period.deadline,
                "lamps": lamps.get(period.pk, {}),
            }
        )
    return rows


def year_settings_rows() -> list[YearSettings]:
    """Every year with settings, newest first (one query; a handful of rows)."""
    return list(YearSettings.objects.order_by("-year"))
