"""Writes of the monthly report workflow (月报流程): save a draft, submit, approve or return
(unit head), accept or return (supervision office), and the office's correction of a
report of a locked period.

Every function checks the actor's capability and unit, validates everything before it
writes anything (so a refusal changes nothing), runs in one transaction and records an
audit entry with the before and after values of the fields it changed.

Decisions, in the office's words:
- The open period (填报期) is the previous calendar month (Asia/Shanghai). A reporter starts
  a report only for the open period; a report already started (a draft, or one returned to
  the unit) may be edited and submitted again as long as its period is not locked.
- Investment year to date (1–N月) continues the chain: the year-to-date figure of the
  project's latest earlier report of the same year, whatever its state (one report per
  project and month, so each month counts once, with its latest figure), plus this month.
  Only where no earlier report of the year exists (luoshi started mid-year) does the
  reporter type it; in January it is this month. Investment since start likewise continues
  from the latest earlier report of the same project code (any year); only a project's
  first report types it. A correction of an earlier month carries into the later reports.
- Late (逾期): the first submission after the end of the deadline day (Asia/Shanghai) makes
  the report late for good; a report submitted on time, returned and submitted again after
  the deadline stays on time (it was reported on time, the fix was asked for).
- Physical progress: when the project's milestones carry weights, it is the sum of the
  weights of the milestones reached (Milestone.reached_on or reached in this report);
  otherwise the reporter types it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.core.audit import audit_record, snapshot
from luoshi.core.choices import AuditAction
from luoshi.core.clock import now
from luoshi.core.errors import Conflict, DomainError, NotPermitted
from luoshi.core.money import CENT, quantize
from luoshi.core.permissions import Perm, has_perm, require
from luoshi.projects.choices import ReportStatus
from luoshi.projects.models import (
    Milestone,
    MonthlyReport,
    Project,
    ReportingPeriod,
    ReportMilestone,
)

MAX_MONEY = Decimal("999999999999.99")  # 14 digits, 2 decimals: what the column holds
MAX_TEXT = 4000

REPORT_FIELDS = [
    "status",
    "investment_month",
    "investment_ytd",
    "investment_since_start",
    "physical_progress",
    "progress_text",
    "problems",
    "help_needed",
    "needs_coordination",
    "return_reason",
    "version",
]
WORKFLOW_FIELDS = [
    "status",
    "return_reason",
    "submitted_at",
    "submitted_by",
    "approved_at",
    "approved_by",
    "accepted_at",
    "accepted_by",
    "is_late",
]
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
TEXT_FIELDS = ("progress_text", "problems", "help_needed")


# ---------------------------------------------------------------------------------------
# Periods and clocks


def local_today() -> datetime.date:
    return timezone.localtime(now()).date()


def open_period_month(today: datetime.date | None = None) -> tuple[int, int]:
    """(year, month) of the open period: the calendar month before ``today``."""
    today = today or local_today()
    if today.month == 1:
        return today.year - 1, 12
    return today.year, today.month - 1


def open_period() -> ReportingPeriod:
    """The open reporting period, created with its deadline on first use."""
    from luoshi.projects.periods import period_open_for_reporting

    return period_open_for_reporting(today=local_today())


def _not_open(year: int, month: int) -> DomainError:
    open_year, open_month = open_period_month()
    return DomainError(
        _("Reports are open for %(open)s only; %(period)s cannot be started now.")
        % {"open": f"{open_year}-{open_month:02d}", "period": f"{year}-{month:02d}"},
        field="period",
    )


def reporting_period(*, year: int, month: int) -> ReportingPeriod:
    """The period a report of ``year``-``month`` goes to: an existing one, or the open
    period (created on first use); any other month is refused."""
    period = ReportingPeriod.objects.filter(year=year, month=month).first()
    if period is not None:
        return period
    if (year, month) != open_period_month():
        raise _not_open(year, month)
    return open_period()


def is_after_deadline(period: ReportingPeriod, moment: datetime.datetime | None = None) -> bool:
    """True once the deadline day has ended in Asia/Shanghai."""
    moment = moment or now()
    return timezone.localtime(moment).date() > period.deadline


def _period_label(period: ReportingPeriod) -> str:
    return _("%(year)s-%(month)02d") % {"year": period.year, "month": period.month}


def _status_label(report: MonthlyReport) -> str:
    return str(ReportStatus(report.status).label)


# ---------------------------------------------------------------------------------------
# Who may do what


def _require_reporter_of(actor: Any, unit_id: int) -> None:
    """Reporters write their own unit's reports only (unit isolation)."""
    require(actor, Perm.FILL_REPORTS)
    if actor.unit_id is None or actor.unit_id != unit_id:
        raise NotPermitted(_("You may only report on your own unit's projects."))


def _require_head_of(actor: Any, report: MonthlyReport) -> None:
    require(actor, Perm.APPROVE_REPORTS)
    if actor.unit_id is None or actor.unit_id != report.unit_id:
        raise NotPermitted(_("You may only approve your own unit's reports."))


def _require_not_locked(period: ReportingPeriod) -> None:
    if period.is_locked:
        raise DomainError(
            _(
                "The reporting period %(period)s is locked; its reports change only by a "
                "correction of the supervision office."
            )
            % {"period": _period_label(period)},
            code="locked",
        )


# Whole sentences, so that each translates as a sentence.
_REFUSALS = {
    "edit": lambda: _("This report is %(status)s; it cannot be edited now."),
    "submit": lambda: _("This report is %(status)s; it cannot be submitted now."),
    "approve": lambda: _("This report is %(status)s; it cannot be approved now."),
    "accept": lambda: _("This report is %(status)s; it cannot be accepted now."),
    "return": lambda: _("This report is %(status)s; it cannot be returned now."),
}


def _require_status(report: MonthlyReport, allowed: tuple[str, ...], step: str) -> None:
    if report.status not in allowed:
        raise DomainError(_REFUSALS[step]() % {"status": _status_label(report)}, code="state")


def _lock(report: MonthlyReport) -> MonthlyReport:
    """The stored row, locked for this transaction (two approvers cannot race)."""
    return (
        MonthlyReport.objects.select_for_update()
        .select_related("period", "project")
        .get(pk=report.pk)
    )


# ---------------------------------------------------------------------------------------
# Validation of the report's content


def _money(value: Any, field: str, label: str) -> Decimal:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise DomainError(_("Enter %(label)s.") % {"label": label}, field=field)
    if isinstance(value, bool | float):
        value = str(value)
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(
            _("%(label)s must be a number in 10k yuan, such as 120.50.") % {"label": label},
            field=field,
        ) from None
    if not amount.is_finite():
        raise DomainError(
            _("%(label)s must be a number in 10k yuan, such as 120.50.") % {"label": label},
            field=field,
        )
    if amount < 0:
        raise DomainError(
            _("%(label)s cannot be negative.") % {"label": label.capitalize()}, field=field
        )
    if amount > MAX_MONEY:
        raise DomainError(
            _("%(label)s is too large for 10k yuan.") % {"label": label.capitalize()}, field=field
        )
    if amount != amount.quantize(CENT, rounding="ROUND_DOWN"):
        raise DomainError(
            _("%(label)s has at most two decimals (10k yuan).") % {"label": label.capitalize()},
            field=field,
        )
    return quantize(amount)


def _text(value: Any, field: str) -> str:
    text = str(value or "").replace("\x00", "").strip()
    if len(text) > MAX_TEXT:
        raise DomainError(_("Write at most %(n)s characters here.") % {"n": MAX_TEXT}, field=field)
    return text


def _milestone_dates(*, project: Project, raw: dict[Any, Any] | None) -> dict[int, datetime.date]:
    """Milestone id → reached date, for the milestones reported reached. Dates may not lie
    in the future, nor before the project's start year."""
    if not raw:
        return {}
    known = {m.pk: m for m in project.milestones.all()}
    today = local_today()
    earliest = datetime.date(project.start_year, 1, 1)
    result: dict[int, datetime.date] = {}
    for key, value in raw.items():
        try:
            milestone_id = int(key)
        except (TypeError, ValueError):
            milestone_id = 0
        milestone = known.get(milestone_id)
        if milestone is None:
            raise DomainError(
                _("Milestone %(id)s does not belong to this project.") % {"id": key},
                field="milestones",
            )
        if value in (None, ""):
            continue
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                raise DomainError(
                    _("Enter the date %(name)s was reached as YYYY-MM-DD.")
                    % {"name": milestone.name},
                    field=f"ms_{milestone.pk}",
                ) from None
        if value > today:
            raise DomainError(
                _("%(name)s: the date reached cannot be in the future.") % {"name": milestone.name},
                field=f"ms_{milestone.pk}",
            )
        if value < earliest:
            raise DomainError(
                _("%(name)s: the date reached cannot be before the project's start year %(year)s.")
                % {"name": milestone.name, "year": project.start_year},
                field=f"ms_{milestone.pk}",
            )
        result[milestone.pk] = value
    return result


def earlier_totals(
    *, project: Project, period: ReportingPeriod, exclude_pk: int | None
) -> tuple[Decimal | None, Decimal | None]:
    """(year-to-date figure of the project's latest earlier report of the same year, or
    None when it has none; since-start figure of the latest earlier report of the same
    project code in any year, or None when this is its first report). Two queries."""
    earlier = (
        MonthlyReport.objects.filter(project__code=project.code)
        .exclude(pk=exclude_pk)
        .filter(period__year__lte=period.year)
        .exclude(period__year=period.year, period__month__gte=period.month)
        .order_by("-period__year", "-period__month")
    )
    ytd = (
        earlier.filter(project=project, period__year=period.year)
        .values_list("investment_ytd", flat=True)
        .first()
    )
    since = earlier.values_list("investment_since_start", flat=True).first()
    return ytd, since


def _typed_total(data: dict[str, Any], name: str, label: str) -> Decimal | None:
    if data.get(name) in (None, ""):
        return None
    return _money(data.get(name), name, label)


def _totals(
    *,
    project: Project,
    period: ReportingPeriod,
    data: dict[str, Any],
    month: Decimal,
    existing: MonthlyReport | None,
) -> tuple[Decimal, Decimal]:
    """Year to date and since start: continued from the latest earlier report; typed only
    where no earlier report exists (the first report in luoshi of a year or of a project),
    else kept from what the report said before."""
    previous_ytd, previous_since = earlier_totals(
        project=project, period=period, exclude_pk=existing.pk if existing else None
    )
    if previous_ytd is not None:
        ytd = previous_ytd + month
    elif period.month == 1:
        ytd = month
    else:
        typed = _typed_total(data, "investment_ytd", _("investment year to date"))
        if typed is None:
            base = (existing.investment_ytd - existing.investment_month) if existing else 0
            typed = month + max(base, Decimal("0"))
        if typed < month:
            raise DomainError(
                _("Investment year to date (%(ytd)s) cannot be below this month's (%(month)s).")
                % {"ytd": typed, "month": month},
                field="investment_ytd",
            )
        ytd = typed
    if previous_since is not None:
        since = previous_since + month
    else:
        typed = _typed_total(data, "investment_since_start", _("investment since start"))
        if typed is None:
            base = (existing.investment_since_start - existing.investment_ytd) if existing else 0
            typed = ytd + max(base, Decimal("0"))
        if typed < ytd:
            raise DomainError(
                _("Investment since start (%(since)s) cannot be below the year to date (%(ytd)s).")
                % {"since": typed, "ytd": ytd},
                field="investment_since_start",
            )
        since = typed
    if ytd > MAX_MONEY or since > MAX_MONEY:
        raise DomainError(_("The totals are too large for 10k yuan."), field="investment_month")
    return quantize(ytd), quantize(since)


def _clean(
    *,
    project: Project,
    period: ReportingPeriod,
    data: dict[str, Any],
    existing: MonthlyReport | None,
) -> tuple[dict[str, Any], dict[int, datetime.date]]:
    """The report's fields from ``data`` (an allowlist), validated and derived."""
    month = _money(data.get("investment_month"), "investment_month", _("investment this month"))
    ytd, since_start = _totals(
        project=project, period=period, data=data, month=month, existing=existing
    )
    milestones = _milestone_dates(project=project, raw=data.get("milestones"))
    fields: dict[str, Any] = {
        "investment_month": month,
        "investment_ytd": ytd,
        "investment_since_start": since_start,
        "needs_coordination": bool(data.get("needs_coordination")),
    }
    for name in TEXT_FIELDS:
        fields[name] = _text(data.get(name), name)
    if fields["needs_coordination"] and not (fields["problems"] or fields["help_needed"]):
        raise DomainError(
            _("Describe the problem or the help needed before asking for coordination."),
            field="problems",
        )
    weights = [(m.pk, m.weight, m.reached_on) for m in project.milestones.all()]
    if weights and any(w is not None for _pk, w, _r in weights):
        fields["physical_progress"] = min(
            100, sum(w or 0 for pk, w, reached in weights if reached or pk in milestones)
        )
    else:
        progress = data.get("physical_progress")
        if progress in (None, ""):
            fields["physical_progress"] = None
        else:
            try:
                value = int(progress)
            except (TypeError, ValueError):
                value = -1
            if not 0 <= value <= 100:
                raise DomainError(
                    _("Physical progress is a whole number from 0 to 100."),
                    field="physical_progress",
                )
            fields["physical_progress"] = value
    return fields, milestones


def _write_milestones(report: MonthlyReport, dates: dict[int, datetime.date]) -> dict[str, str]:
    """Replace the milestones reached of ``report``; returns the new set for the audit."""
    ReportMilestone.objects.filter(report=report).exclude(milestone_id__in=dates).delete()
    existing = {rm.milestone_id: rm for rm in ReportMilestone.objects.filter(report=report)}
    for milestone_id, reached_on in dates.items():
        row = existing.get(milestone_id)
        if row is None:
            ReportMilestone.objects.create(
                report=report, milestone_id=milestone_id, reached_on=reached_on
            )
        elif row.reached_on != reached_on:
            row.reached_on = reached_on
            row.save(update_fields=["reached_on"])
    return {str(k): v.isoformat() for k, v in sorted(dates.items())}


def _milestone_snapshot(report: MonthlyReport) -> dict[str, str]:
    return {
        str(mid): day.isoformat()
        for mid, day in ReportMilestone.objects.filter(report=report)
        .order_by("milestone_id")
        .values_list("milestone_id", "reached_on")
    }


def _changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _conflict(report: MonthlyReport) -> Conflict:
    at = timezone.localtime(report.updated_at).strftime("%H:%M")
    return Conflict(
        _(
            "Someone else saved this report at %(time)s; your input is kept below — review "
            "it and save again."
        )
        % {"time": at},
        code="conflict",
    )


# ---------------------------------------------------------------------------------------
# The reporter


@transaction.atomic
def report_save(
    *,
    actor: Any,
    project: Project,
    period: ReportingPeriod,
    data: dict[str, Any],
    version: int | None,
) -> MonthlyReport:
    """Create or update the draft (or returned) report of ``project`` for ``period``.

    ``version`` is the version the user's form was built from (0 or None for a new report);
    if the stored report moved on since, nothing is written and ``Conflict`` says when."""
    _require_reporter_of(actor, project.responsible_unit_id)
    if project.year != period.year:
        raise DomainError(
            _("This project is on the %(year)s list; it cannot be reported for %(period)s.")
            % {"year": project.year, "period": _period_label(period)},
            field="period",
        )
    # The stored state, not the caller's copy: the period may have been locked meanwhile.
    period = ReportingPeriod.objects.get(pk=period.pk)
    _require_not_locked(period)
    report = (
        MonthlyReport.objects.select_for_update().filter(project=project, period=period).first()
    )
    if report is None:
        if version:
            raise DomainError(_("This report no longer exists; start it again."), code="gone")
        if (period.year, period.month) != open_period_month():
            raise _not_open(period.year, period.month)
    else:
        if version is None or int(version) != report.version:
            raise _conflict(report)
        _require_status(report, EDITABLE, "edit")
    fields, milestones = _clean(project=project, period=period, data=data, existing=report)
    stamp = now()
    if report is None:
        report = MonthlyReport(
            project=project,
            period=period,
            unit_id=project.responsible_unit_id,
            created_at=stamp,
            updated_at=stamp,
            **fields,
        )
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            # Someone created it between our read and our write.
            raise _conflict(MonthlyReport.objects.get(project=project, period=period)) from None
        after = snapshot(report, REPORT_FIELDS)
        after["milestones"] = _write_milestones(report, milestones)
        audit_record(action=AuditAction.CREATE, actor=actor, obj=report, after=after)
        return report
    before = snapshot(report, REPORT_FIELDS)
    before["milestones"] = _milestone_snapshot(report)
    for name, value in fields.items():
        setattr(report, name, value)
    report.version += 1
    report.updated_at = stamp
    report.save()
    after = snapshot(report, REPORT_FIELDS)
    after["milestones"] = _write_milestones(report, milestones)
    _audit_change(actor, report, before, after)
    return report


def _audit_change(actor: Any, report: MonthlyReport, before: dict, after: dict) -> None:
    b, a = _changed(before, after)
    audit_record(action=AuditAction.UPDATE, actor=actor, obj=report, before=b, after=a)


@transaction.atomic
def report_submit(*, actor: Any, report: MonthlyReport) -> MonthlyReport:
    """Send the report to the unit head. The first submission after the deadline makes it
    late for good."""
    report = _lock(report)
    _require_reporter_of(actor, report.unit_id)
    _require_not_locked(report.period)
    _require_status(report, EDITABLE, "submit")
    before = snapshot(report, WORKFLOW_FIELDS)
    stamp = now()
    if report.submitted_at is None:
        report.is_late = is_after_deadline(report.period, stamp)
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = stamp
    report.submitted_by = actor
    report.return_reason = ""
    return _step(actor, report, before, stamp)


def _step(actor: Any, report: MonthlyReport, before: dict, stamp: Any) -> MonthlyReport:
    report.version += 1
    report.updated_at = stamp
    report.save()
    after = {**snapshot(report, WORKFLOW_FIELDS), "version": report.version}
    _audit_change(actor, report, {**before, "version": report.version - 1}, after)
    return report


def _reason(reason: Any) -> str:
    text = _text(reason, "reason")
    if not text:
        raise DomainError(_("Say why the report is returned."), field="reason")
    return text


# ---------------------------------------------------------------------------------------
# The unit head


@transaction.atomic
def report_approve(*, actor: Any, report: MonthlyReport) -> MonthlyReport:
    """The unit head approves a submitted report; it goes to the supervision office."""
    report = _lock(report)
    _require_head_of(actor, report)
    _require_not_locked(report.period)
    _require_status(report, (ReportStatus.SUBMITTED,), "approve")
    before = snapshot(report, WORKFLOW_FIELDS)
    stamp = now()
    report.status = ReportStatus.APPROVED
    report.approved_at = stamp
    report.approved_by = actor
    return _step(actor, report, before, stamp)


@transaction.atomic
def report_return_by_head(*, actor: Any, report: MonthlyReport, reason: str) -> MonthlyReport:
    """The unit head sends a submitted report back to the reporter, saying why."""
    report = _lock(report)
    _require_head_of(actor, report)
    _require_not_locked(report.period)
    _require_status(report, (ReportStatus.SUBMITTED,), "return")
    text = _reason(reason)
    before = snapshot(report, WORKFLOW_FIELDS)
    report.status = ReportStatus.RETURNED
    report.return_reason = text
    return _step(actor, report, before, now())


# ---------------------------------------------------------------------------------------
# The supervision office


def _refresh_status(report: MonthlyReport) -> None:
    from luoshi.projects.status import status_refresh

    status_refresh(project_ids=[report.project_id], period=report.period)


def _apply_milestones(report: MonthlyReport) -> None:
    """The accepted report's milestone dates become the milestones' actual dates."""
    for rm in ReportMilestone.objects.filter(report=report).select_related("milestone"):
        if rm.milestone.reached_on != rm.reached_on:
            Milestone.objects.filter(pk=rm.milestone_id).update(reached_on=rm.reached_on)


@transaction.atomic
def report_accept(*, actor: Any, report: MonthlyReport) -> MonthlyReport:
    """The office accepts an approved report: its milestone dates become the project's,
    and the project's lamp is recomputed."""
    report = _lock(report)
    require(actor, Perm.ACCEPT_REPORTS)
    _require_not_locked(report.period)
    _require_status(report, (ReportStatus.APPROVED,), "accept")
    before = snapshot(report, WORKFLOW_FIELDS)
    stamp = now()
    report.status = ReportStatus.ACCEPTED
    report.accepted_at = stamp
    report.accepted_by = actor
    report.return_reason = ""
    _step(actor, report, before, stamp)
    _apply_milestones(report)
    _refresh_status(report)
    return report


@transaction.atomic
def report_return_by_office(*, actor: Any, report: MonthlyReport, reason: str) -> MonthlyReport:
    """The office sends an approved report back to the unit, saying why."""
    report = _lock(report)
    require(actor, Perm.ACCEPT_REPORTS)
    _require_not_locked(report.period)
    _require_status(report, (ReportStatus.APPROVED,), "return")
    text = _reason(reason)
    before = snapshot(report, WORKFLOW_FIELDS)
    report.status = ReportStatus.RETURNED
    report.return_reason = text
    return _step(actor, report, before, now())


@transaction.atomic
def report_correct(
    *, actor: Any, report: MonthlyReport, data: dict[str, Any], reason: str
) -> MonthlyReport:
    """The office corrects a report of a locked period, or an accepted one, saying why
    (更正). The figures of the project's later reports of the year follow; every changed
    report gets its audit entry; the lamps are recomputed."""
    report = _lock(report)
    require(actor, Perm.ACCEPT_REPORTS)
    if not (report.period.is_locked or report.status == ReportStatus.ACCEPTED):
        raise DomainError(
            _(
                "Only accepted reports or reports of a locked period are corrected; this "
                "report is %(status)s — return it to the unit instead."
            )
            % {"status": _status_label(report)},
            code="state",
        )
    text = _text(reason, "reason")
    if not text:
        raise DomainError(_("Say why the report is corrected."), field="reason")
    version = data.get("version")
    if version is not None and int(version) != report.version:
        raise _conflict(report)
    fields, milestones = _clean(
        project=report.project, period=report.period, data=data, existing=report
    )
    before = snapshot(report, REPORT_FIELDS)
    before["milestones"] = _milestone_snapshot(report)
    for name, value in fields.items():
        setattr(report, name, value)
    report.version += 1
    report.updated_at = now()
    report.save()
    after = snapshot(report, REPORT_FIELDS)
    after["milestones"] = _write_milestones(report, milestones)
    b, a = _changed(before, after)
    a["correction_reason"] = text
    audit_record(action=AuditAction.UPDATE, actor=actor, obj=report, before=b, after=a)
    if report.status == ReportStatus.ACCEPTED:
        _apply_milestones(report)
    periods = [report.period, *_carry_forward(actor, report, text)]
    from luoshi.projects.status import status_refresh

    for period in periods:
        status_refresh(project_ids=[report.project_id], period=period)
    return report


def _carry_forward(actor: Any, report: MonthlyReport, reason: str) -> list[ReportingPeriod]:
    """Recompute the running totals of the project's later reports of the same year after a
    correction (at most eleven rows); returns their periods."""
    later = list(
        MonthlyReport.objects.select_for_update()
        .filter(project=report.project, period__year=report.period.year)
        .filter(period__month__gt=report.period.month)
        .select_related("period")
        .order_by("period__month")
    )
    ytd, since = report.investment_ytd, report.investment_since_start
    for row in later:
        ytd, since = ytd + row.investment_month, since + row.investment_month
        if (row.investment_ytd, row.investment_since_start) == (ytd, since):
            continue
        before = {
            "investment_ytd": row.investment_ytd,
            "investment_since_start": row.investment_since_start,
        }
        row.investment_ytd, row.investment_since_start = ytd, since
        row.version += 1
        row.updated_at = now()
        row.save(
            update_fields=["investment_ytd", "investment_since_start", "version", "updated_at"]
        )
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            obj=row,
            before=before,
            after={
                "investment_ytd": ytd,
                "investment_since_start": since,
                "correction_reason": reason,
            },
        )
    return [row.period for row in later]


def require_editable_by(actor: Any, report: MonthlyReport) -> None:
    """Raise unless ``actor`` may change ``report`` now (its reporter, editable, open)."""
    _require_reporter_of(actor, report.unit_id)
    _require_not_locked(report.period)
    _require_status(report, EDITABLE, "edit")


def may_edit(user: Any, report: MonthlyReport) -> bool:
    try:
        require_editable_by(user, report)
    except DomainError:
        return False
    return True


def may_approve(user: Any, report: MonthlyReport) -> bool:
    return (
        has_perm(user, Perm.APPROVE_REPORTS)
        and user.unit_id == report.unit_id
        and report.status == ReportStatus.SUBMITTED
        and not report.period.is_locked
    )


def may_accept(user: Any, report: MonthlyReport) -> bool:
    return (
        has_perm(user, Perm.ACCEPT_REPORTS)
        and report.status == ReportStatus.APPROVED
        and not report.period.is_locked
    )


def may_correct(user: Any, report: MonthlyReport) -> bool:
    return has_perm(user, Perm.ACCEPT_REPORTS) and (
        report.period.is_locked or report.status == ReportStatus.ACCEPTED
    )
