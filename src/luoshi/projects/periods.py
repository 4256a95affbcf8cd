"""Reporting periods: opening one with its deadline, locking it after the review meeting."""

from __future__ import annotations

from typing import Any

from luoshi.projects.models import ReportingPeriod


def period_get_or_create(*, year: int, month: int) -> ReportingPeriod:
    """The period of ``year``-``month``, created with the deadline of the year's settings
    (e.g. the 5th of the next month, or the 5th working day) when it does not exist yet."""
    raise NotImplementedError


def period_lock(*, actor: Any, period: ReportingPeriod) -> ReportingPeriod:
    """Lock a period after the review meeting: reports of a locked period change only by an
    audited correction of the office."""
    raise NotImplementedError
