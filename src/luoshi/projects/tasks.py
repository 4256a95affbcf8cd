"""Reporting-deadline reminders (填报提醒) as background jobs (django-tasks).

- Before the deadline: from ``LUOSHI_REMINDER_DAYS_BEFORE`` working days before it
  (default 2, statutory holidays and 调休 respected), the reporters of every unit with a
  project of the year whose report of the period is not submitted yet get one reminder.
- After the deadline: the reporters and heads of every unit still missing a report get one
  reminder, and the office one summary.
- Every reminder carries a dedupe key (``report:<period>:<kind>:<unit>``), so a job run
  twice, or a command run every day of the window, sends nothing twice.
Queries are grouped by unit, never per project.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from luoshi.core.calendar import calendar_for
from luoshi.core.notifications import notify
from luoshi.orgs.choices import Role
from luoshi.orgs.models import User
from luoshi.projects.models import MonthlyReport, Project, ReportingPeriod

BEFORE_DEADLINE = "before_deadline"
MISSING = "missing"
KINDS = (BEFORE_DEADLINE, MISSING)


def days_before() -> int:
    return int(getattr(settings, "LUOSHI_REMINDER_DAYS_BEFORE", 2))


def units_missing(*, period: ReportingPeriod) -> dict[int, int]:
    """Unit id → number of its projects of the period's year without a submitted report of
    the period (one grouped query; inactive units are left out)."""
    submitted = MonthlyReport.objects.filter(period=period, submitted_at__isnull=False)
    rows = (
        Project.objects.filter(year=period.year, responsible_unit__is_active=True)
        .exclude(pk__in=submitted.values("project_id"))
        .values("responsible_unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["responsible_unit_id"]: row["n"] for row in rows}


def _users_by_unit(unit_ids: list[int], roles: list[str]) -> dict[int, set[int]]:
    users: dict[int, set[int]] = {}
    for pk, unit_id in (
        User.objects.filter(unit_id__in=unit_ids, is_active=True, role_grants__role__in=roles)
        .values_list("pk", "unit_id")
        .distinct()
    ):
        users.setdefault(unit_id, set()).add(pk)
    return users


def _link() -> str:
    try:
        return reverse("projects:reporting")
    except Exception:  # the reporting pages are not installed
        return ""


@task()
def remind_reporting(period_id: int, kind: str) -> int:
    """Send the ``kind`` reminders of period ``period_id``; returns how many notifications
    were created now (0 on a second run)."""
    if kind not in KINDS:
        raise ValueError(f"unknown reminder kind {kind!r}")
    period = ReportingPeriod.objects.filter(pk=period_id).first()
    if period is None or period.is_locked:
        return 0
    missing = units_missing(period=period)
    if not missing:
        return 0
    roles = (
        [Role.UNIT_REPORTER] if kind == BEFORE_DEADLINE else [Role.UNIT_REPORTER, Role.UNIT_HEAD]
    )
    users = _users_by_unit(list(missing), roles)
    link = _link()
    deadline = period.deadline.isoformat()
    sent = 0
    for unit_id, count in missing.items():
        recipients = users.get(unit_id)
        if not recipients:
            continue
        values = {"period": str(period), "deadline": deadline, "count": count}
        if kind == BEFORE_DEADLINE:
            title = _("Reports for %(period)s are due on %(deadline)s") % values
            body = (
                _(
                    "%(count)d project(s) of your unit have no submitted report for %(period)s "
                    "yet. The deadline is %(deadline)s."
                )
                % values
            )
        else:
            title = _("Reports for %(period)s are missing") % values
            body = (
                _(
                    "The deadline of %(deadline)s has passed and %(count)d project(s) of your "
                    "unit still have no submitted report for %(period)s."
                )
                % values
            )
        sent += notify(
            recipients=recipients,
            kind=f"report_{kind}",
            title=title,
            body=body,
            link=link,
            dedupe_key=f"report:{period.pk}:{kind}:{unit_id}",
        )
    if kind == MISSING:
        sent += _office_summary(period, missing)
    return sent


def _office_summary(period: ReportingPeriod, missing: dict[int, int]) -> int:
    officers = User.objects.filter(
        is_active=True, role_grants__role=Role.SUPERVISION_OFFICER
    ).values_list("pk", flat=True)
    values = {
        "period": str(period),
        "projects": sum(missing.values()),
        "units": len(missing),
        "deadline": period.deadline.isoformat(),
    }
    return notify(
        recipients=list(officers),
        kind="report_missing_summary",
        title=_("%(projects)d report(s) for %(period)s are missing") % values,
        body=_(
            "After the deadline of %(deadline)s, %(projects)d project(s) of %(units)d unit(s) "
            "have no submitted report for %(period)s."
        )
        % values,
        link=_link(),
        dedupe_key=f"report:{period.pk}:missing_summary",
    )


def reminders_due(*, period: ReportingPeriod, today: date) -> list[str]:
    """The reminder kinds due on ``today`` for ``period``: ``before_deadline`` from N
    working days before the deadline up to the day before it, ``missing`` after it.
    Nothing for a locked period."""
    if period.is_locked:
        return []
    if today > period.deadline:
        return [MISSING]
    if today == period.deadline:
        return []
    left = calendar_for(today, period.deadline).working_days_between(today, period.deadline)
    return [BEFORE_DEADLINE] if left <= days_before() else []


def enqueue_due_reminders(*, today: date) -> list[dict[str, Any]]:
    """Enqueue the reminders due today for the period open for reporting."""
    from luoshi.projects.periods import period_open_for_reporting

    period = period_open_for_reporting(today=today)
    jobs = []
    for kind in reminders_due(period=period, today=today):
        result = remind_reporting.enqueue(period.pk, kind)
        jobs.append({"period": period, "kind": kind, "result": result})
    return jobs
