"""Background jobs of the platform itself (django-tasks): exports written by the worker."""

from __future__ import annotations

from django_tasks import task

from luoshi.core.exports import export_run


@task()
def run_export(export_id: int) -> int | None:
    """Write export ``export_id``; returns its rows (None when it had run already)."""
    export = export_run(export_id)
    return export.rows if export is not None else None
