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
- Investment year to date and since start are derived, not typed (see
  ``report_content``); a correction of an earlier month carries into the later reports.
- Late (逾期): the first submission after the end of the deadline day (Asia/Shanghai) makes
  the report late for good; a report submitted on time, returned and submitted again after
  the deadline stays on time (it was reported on time, the fix was asked for).
- Physical progress: when the project's milestones carry weights, it is the sum of the
  weights of the milestones reached (Milestone.reached_on or reached in this report);
  otherwise the reporter types it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.core.audit import audit_record, snapshot
from luoshi.core.choices import AuditAction
from luoshi.core.clock import now
from luoshi.core.errors import Conflict, DomainError, NotPermitted
from luoshi.core.permissions import Perm, has_perm, require
from luoshi.projects.choices import ReportStatus
from luoshi.projects.models import (
    Milestone,
    MonthlyReport,
    Project,
    ReportingPeriod,
    ReportMilestone,
)
from luoshi.projects.report_content import (
    clean_content,
    clean_text,
    local_today,
)

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


# ---------------------------------------------------------------------------------------
# Periods and clocks


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
# The reporter: checks over loaded state (no query) and in-memory changes, shared by the
# single save below and the batch save of the sheet import (services_reports_batch)


def check_version(
    report: MonthlyReport | None, version: int | None, period: ReportingPeriod
) -> None:
    """Optimistic locking: ``version`` is what the user's form was built from (0 or None
    for a new report). A new report is started for the open period only; a stored one
    must be editable."""
    if report is None:
        if version:
            raise DomainError(_("This report no longer exists; start it again."), code="gone")
        if (period.year, period.month) != open_period_month():
            raise _not_open(period.year, period.month)
        return
    if version is None or int(version) != report.version:
        raise _conflict(report)
    _require_status(report, EDITABLE, "edit")


def check_save(
    *,
    actor: Any,
    project: Project,
    period: ReportingPeriod,
    report: MonthlyReport | None,
    data: dict[str, Any],
    version: int | None,
    earlier: tuple[Any, Any] | None = None,
    project_milestones: list[Milestone] | None = None,
) -> tuple[dict[str, Any], dict[int, datetime.date]]:
    """Every rule of saving ``data`` as the report of ``project`` for ``period``, against
    the stored ``period`` and ``report`` (None: not started): who, which year, locked,
    version, state, content. Returns the cleaned fields and milestone dates. Makes no
    query when ``earlier`` and ``project_milestones`` are given."""
    _require_reporter_of(actor, project.responsible_unit_id)
    if project.year != period.year:
        raise DomainError(
            _("This project is on the %(year)s list; it cannot be reported for %(period)s.")
            % {"year": project.year, "period": _period_label(period)},
            field="period",
        )
    _require_not_locked(period)
    check_version(report, version, period)
    return clean_content(
        project=project,
        period=period,
        data=data,
        existing=report,
        earlier=earlier,
        project_milestones=project_milestones,
    )


def apply_save(
    *,
    project: Project,
    period: ReportingPeriod,
    report: MonthlyReport | None,
    fields: dict[str, Any],
    stamp: datetime.datetime,
) -> MonthlyReport:
    """The checked ``fields`` on the report, in memory: a new one (unsaved) or ``report``
    with its version moved on."""
    if report is None:
        report = MonthlyReport(
            project_id=project.pk,
            period_id=period.pk,
            unit_id=project.responsible_unit_id,
            created_at=stamp,
            updated_at=stamp,
            **fields,
        )
        # The objects at hand, so str(report) reads no row; set as caches rather than
        # through the descriptors, which the batch save would pay for on every row.
        MonthlyReport.project.field.set_cached_value(report, project)
        MonthlyReport.period.field.set_cached_value(report, period)
        return report
    for name, value in fields.items():
        setattr(report, name, value)
    report.version += 1
    report.updated_at = stamp
    return report


def check_submit(*, actor: Any, report: MonthlyReport, period: ReportingPeriod) -> None:
    """The rules of sending ``report`` (stored state, of ``period``) to the unit head."""
    _require_reporter_of(actor, report.unit_id)
    _require_not_locked(period)
    _require_status(report, EDITABLE, "submit")


def apply_submit(
    *, actor: Any, report: MonthlyReport, period: ReportingPeriod, stamp: datetime.datetime
) -> tuple[dict, dict]:
    """Submit ``report`` in memory; returns the audit's (before, after). The first
    submission after the deadline makes it late for good."""
    before = snapshot(report, WORKFLOW_FIELDS)
    if report.submitted_at is None:
        report.is_late = is_after_deadline(period, stamp)
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = stamp
    report.submitted_by = actor
    report.return_reason = ""
    report.version += 1
    report.updated_at = stamp
    after = {**snapshot(report, WORKFLOW_FIELDS), "version": report.version}
    return _changed({**before, "version": report.version - 1}, after)


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
    # The stored state, not the caller's copy: the period may have been locked meanwhile.
    period = ReportingPeriod.objects.get(pk=period.pk)
    report = (
        MonthlyReport.objects.select_for_update().filter(project=project, period=period).first()
    )
    fields, milestones = check_save(
        actor=actor, project=project, period=period, report=report, data=data, version=version
    )
    stamp = now()
    if report is None:
        report = apply_save(project=project, period=period, report=None, fields=fields, stamp=stamp)
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
    apply_save(project=project, period=period, report=report, fields=fields, stamp=stamp)
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
    check_submit(actor=actor, report=report, period=report.period)
    b, a = apply_submit(actor=actor, report=report, period=report.period, stamp=now())
    report.save()
    audit_record(action=AuditAction.UPDATE, actor=actor, obj=report, before=b, after=a)
    return report


def _step(actor: Any, report: MonthlyReport, before: dict, stamp: Any) -> MonthlyReport:
    report.version += 1
    report.updated_at = stamp
    report.save()
    after = {**snapshot(report, WORKFLOW_FIELDS), "version": report.version}
    _audit_change(actor, report, {**before, "version": report.version - 1}, after)
    return report


def _reason(reason: Any) -> str:
    text = clean_text(reason, "reason")
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
    text = clean_text(reason, "reason")
    if not text:
        raise DomainError(_("Say why the report is corrected."), field="reason")
    version = data.get("version")
    if version is not None and int(version) != report.version:
        raise _conflict(report)
    fields, milestones = clean_content(
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
