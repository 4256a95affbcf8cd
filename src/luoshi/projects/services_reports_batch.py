"""Saving many monthly reports at once (the report sheet import): the rules of
``services_reports.report_save`` and ``report_submit`` — the same checks, statuses, late
flags, optimistic locking and audit entries — with the state loaded for all rows in a
bounded number of queries and the writes done in bulk, in one transaction.

All or nothing: every row is checked before anything is written; any refusal raises
``BatchRefused`` with every refused row, and nothing is saved."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from luoshi.core.audit import audit_record_many, snapshot
from luoshi.core.bulk import chunks, insert_many, update_many
from luoshi.core.choices import AuditAction
from luoshi.core.clock import now
from luoshi.core.errors import DomainError
from luoshi.core.permissions import Perm, require
from luoshi.projects.models import (
    Milestone,
    MonthlyReport,
    Project,
    ReportingPeriod,
    ReportMilestone,
)
from luoshi.projects.report_content import earlier_totals_many
from luoshi.projects.services_reports import (
    REPORT_FIELDS,
    _changed,
    _conflict,
    apply_save,
    apply_submit,
    check_save,
    check_submit,
)

# Columns written by the bulk update of a saved report (what ``apply_save`` changes) and
# of a submitted one (what ``apply_submit`` changes).
_SAVE_COLUMNS = [
    "investment_month",
    "investment_ytd",
    "investment_since_start",
    "physical_progress",
    "progress_text",
    "problems",
    "help_needed",
    "needs_coordination",
    "version",
    "updated_at",
]
_SUBMIT_COLUMNS = [
    "status",
    "submitted_at",
    "submitted_by",
    "return_reason",
    "is_late",
    "version",
    "updated_at",
]


@dataclass
class SaveRow:
    """One report to save: ``data`` as for ``report_save`` (None: leave the report as it
    is and only submit it), ``version`` the one the user's copy was built from."""

    project: Project
    data: dict[str, Any] | None
    version: int | None


class BatchRefused(DomainError):
    """Nothing was written: ``errors`` maps the index of each refused row to its refusal."""

    def __init__(self, errors: dict[int, DomainError]) -> None:
        super().__init__(
            _("%(n)s reports were refused; nothing was saved.") % {"n": len(errors)},
            code="batch",
        )
        self.errors = errors


@dataclass
class _State:
    """What the checks read, loaded for every row at once."""

    period: ReportingPeriod
    reports: dict[int, MonthlyReport]  # project id → stored report of the period
    earlier: dict[int, tuple[Any, Any]]
    milestones: dict[int, list[Milestone]]  # project id → its milestones
    reached: dict[int, list[ReportMilestone]]  # report id → its milestones reached


def _load(period: ReportingPeriod, project_ids: list[int]) -> _State:
    # The stored period, not the caller's copy: it may have been locked meanwhile.
    period = ReportingPeriod.objects.get(pk=period.pk)
    reports: dict[int, MonthlyReport] = {}
    milestones: dict[int, list[Milestone]] = defaultdict(list)
    for chunk in chunks(project_ids):
        for report in MonthlyReport.objects.select_for_update().filter(
            period=period, project_id__in=chunk
        ):
            reports[report.project_id] = report
        for m in Milestone.objects.filter(project_id__in=chunk).order_by(
            "project", "order", "planned_on"
        ):
            milestones[m.project_id].append(m)
    reached: dict[int, list[ReportMilestone]] = defaultdict(list)
    for chunk in chunks([r.pk for r in reports.values()]):
        for rm in ReportMilestone.objects.filter(report_id__in=chunk).order_by("milestone_id"):
            reached[rm.report_id].append(rm)
    return _State(
        period=period,
        reports=reports,
        earlier=earlier_totals_many(project_ids=project_ids, period=period),
        milestones=milestones,
        reached=reached,
    )


def _milestone_map(rows: list[ReportMilestone]) -> dict[str, str]:
    return {str(rm.milestone_id): rm.reached_on.isoformat() for rm in rows}


@transaction.atomic
def reports_save_many(
    *, actor: Any, period: ReportingPeriod, rows: list[SaveRow], submit: bool = False
) -> list[MonthlyReport]:
    """Save (and with ``submit``, then submit) the report of each row for ``period``, as
    ``report_save`` and ``report_submit`` would one by one — the audit trail gets the
    same entries in the same order: every save, then every submission. Returns the
    reports in row order. The number of queries does not depend on the number of rows
    (beyond the statement size limits of the database)."""
    require(actor, Perm.FILL_REPORTS)
    if not rows:
        return []
    ids = [row.project.pk for row in rows]
    if len(set(ids)) != len(ids):
        raise DomainError(_("A project appears twice; report it once."), code="duplicate")
    state = _load(period, ids)
    period = state.period
    stamp = now()
    errors: dict[int, DomainError] = {}
    cleaned: list[tuple[dict[str, Any], dict[int, datetime.date]] | None] = []
    for i, row in enumerate(rows):
        current = state.reports.get(row.project.pk)
        if current is not None:  # what str(report) reads, for the audit, without a query
            current.project, current.period = row.project, period
        try:
            if row.data is None:
                cleaned.append(None)
                if current is None:
                    raise DomainError(_("This report no longer exists; start it again."))
                if row.version is not None and int(row.version) != current.version:
                    raise _conflict(current)
            else:
                cleaned.append(
                    check_save(
                        actor=actor,
                        project=row.project,
                        period=period,
                        report=current,
                        data=row.data,
                        version=row.version,
                        earlier=state.earlier.get(row.project.pk, (None, None)),
                        project_milestones=state.milestones.get(row.project.pk, []),
                    )
                )
            if submit:
                check_submit(actor=actor, report=current or _draft(row, period), period=period)
        except DomainError as exc:
            errors[i] = exc
    if errors:
        raise BatchRefused(errors)

    created: list[MonthlyReport] = []
    updated: list[MonthlyReport] = []
    reports: list[MonthlyReport] = []
    saves: list[tuple[MonthlyReport, dict | None, dict]] = []  # report, before, after
    submits: list[tuple[MonthlyReport, dict, dict]] = []
    new_dates: dict[int, dict[int, datetime.date]] = {}  # row index → milestone dates
    for i, (row, clean) in enumerate(zip(rows, cleaned, strict=True)):
        current = state.reports.get(row.project.pk)
        if clean is None:
            report = current
        else:
            fields, dates = clean
            new_dates[i] = dates
            before = None
            if current is not None:
                before = snapshot(current, REPORT_FIELDS)
                before["milestones"] = _milestone_map(state.reached.get(current.pk, []))
            report = apply_save(
                project=row.project, period=period, report=current, fields=fields, stamp=stamp
            )
            after = snapshot(report, REPORT_FIELDS)
            after["milestones"] = {str(k): v.isoformat() for k, v in sorted(dates.items())}
            saves.append((report, before, after))
        if submit:
            # In memory before the write: a new report is inserted as submitted, a stored
            # one updated once; the trail still shows the save, then the submission.
            b, a = apply_submit(actor=actor, report=report, period=period, stamp=stamp)
            submits.append((report, b, a))
        reports.append(report)
        if current is None:
            created.append(report)
        elif clean is not None or submit:
            updated.append(report)
    try:
        with transaction.atomic():
            insert_many(MonthlyReport, created)
    except IntegrityError:
        # Someone started one of these reports between our read and our write.
        theirs = MonthlyReport.objects.filter(
            period=period, project_id__in=[r.project_id for r in created][:900]
        ).first()
        raise _conflict(theirs or created[0]) from None
    _read_ids(period, created)
    columns = _SAVE_COLUMNS + [c for c in _SUBMIT_COLUMNS if submit and c not in _SAVE_COLUMNS]
    update_many(MonthlyReport, updated, columns)
    _write_milestones(reports, new_dates, state)
    audits: list[dict[str, Any]] = []
    for report, before, after in saves:
        if before is None:
            audits.append({"action": AuditAction.CREATE, "obj": report, "after": after})
        else:
            b, a = _changed(before, after)
            audits.append({"action": AuditAction.UPDATE, "obj": report, "before": b, "after": a})
    for report, b, a in submits:
        audits.append({"action": AuditAction.UPDATE, "obj": report, "before": b, "after": a})
    audit_record_many(audits, actor=actor)
    return reports


def _read_ids(period: ReportingPeriod, created: list[MonthlyReport]) -> None:
    """The ids of the reports just inserted (``insert_many`` does not return them)."""
    by_project = {r.project_id: r for r in created}
    for chunk in chunks(list(by_project)):
        for pk, project_id in MonthlyReport.objects.filter(
            period=period, project_id__in=chunk
        ).values_list("pk", "project_id"):
            report = by_project[project_id]
            report.pk = pk
            report._state.adding = False
            report._state.db = connection.alias


def _draft(row: SaveRow, period: ReportingPeriod) -> MonthlyReport:
    """The report a new row becomes before it is submitted: a draft of the project's unit."""
    return MonthlyReport(
        project=row.project, period=period, unit_id=row.project.responsible_unit_id
    )


def _write_milestones(
    reports: list[MonthlyReport],
    new_dates: dict[int, dict[int, datetime.date]],
    state: _State,
) -> None:
    """Replace the milestones reached of each saved report, in bulk (what
    ``services_reports._write_milestones`` does for one)."""
    delete: list[int] = []
    create: list[ReportMilestone] = []
    change: list[ReportMilestone] = []
    for i, dates in new_dates.items():
        report = reports[i]
        existing = {rm.milestone_id: rm for rm in state.reached.get(report.pk, [])}
        delete += [rm.pk for mid, rm in existing.items() if mid not in dates]
        for milestone_id, reached_on in dates.items():
            rm = existing.get(milestone_id)
            if rm is None:
                create.append(
                    ReportMilestone(report=report, milestone_id=milestone_id, reached_on=reached_on)
                )
            elif rm.reached_on != reached_on:
                rm.reached_on = reached_on
                change.append(rm)
    for chunk in chunks(delete):
        ReportMilestone.objects.filter(pk__in=chunk).delete()
    insert_many(ReportMilestone, create)
    update_many(ReportMilestone, change, ["reached_on"])
