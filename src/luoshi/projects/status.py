"""Precomputed lamps (``ProjectStatus``): refreshed when a report is accepted or corrected,
a plan or milestone changes, or a period opens."""

from __future__ import annotations

from collections.abc import Iterable

from luoshi.projects.models import ReportingPeriod


def status_refresh(*, project_ids: Iterable[int], period: ReportingPeriod) -> None:
    """Recompute and store the lamp and its reason of each project as of ``period``, with a
    bounded number of queries whatever the number of projects."""
    raise NotImplementedError
