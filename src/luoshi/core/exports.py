"""Exports written in the background (后台导出): a file too large to write while the browser
waits (a province's item ledger takes about a minute, past the server's 30-second limit)
is asked for here, written by the worker, announced in the notification centre and
downloaded from the "My exports" page by the user who asked for it, and nobody else.

An app registers a writer per kind (``register``): ``writer(fh, user, params) -> rows``,
the same function its page uses for a small export, so both files are the same. The writer
runs in the asking user's language, with what that user may see at the time it runs.
Files are kept ``KEEP_DAYS`` days (``exports_prune``, run by the daily job).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from luoshi.core.clock import now
from luoshi.core.models import Export, ExportStatus
from luoshi.core.notifications import notify

log = logging.getLogger(__name__)

KEEP_DAYS = 7
Writer = Callable[[IO[bytes], Any, dict[str, Any]], int]
_WRITERS: dict[str, Writer] = {}


def register(kind: str, writer: Writer) -> None:
    _WRITERS[kind] = writer


def exports_dir() -> Path:
    path = Path(settings.DATA_DIR) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_of(export: Export) -> Path | None:
    """The written file, while it is kept."""
    if export.status != ExportStatus.DONE or not export.file_name:
        return None
    path = exports_dir() / export.file_name
    return path if path.is_file() else None


def export_request(*, user: Any, kind: str, title: str, params: dict[str, Any]) -> Export:
    """Record the request and hand it to the worker once the record is committed."""
    if kind not in _WRITERS:
        raise ValueError(f"no export writer for {kind!r}")
    # Also here, not only in the daily job: a deployment without that cron keeps no files
    # past their keeping once anybody exports again.
    exports_prune()
    export = Export.objects.create(
        owner=user,
        kind=kind,
        title=title,
        params=params,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    from luoshi.core.tasks import run_export

    transaction.on_commit(lambda: run_export.enqueue(export.pk))
    return export


def export_run(export_id: int) -> Export | None:
    """Write the file of a waiting export and tell its owner; a second run of the same
    export does nothing. A writer's failure is recorded and told too, never raised."""
    claimed = Export.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING
    )
    if not claimed:
        return None
    export = Export.objects.select_related("owner").get(pk=export_id)
    name = f"{secrets.token_hex(16)}.xlsx"
    part = exports_dir() / f"{name}.part"
    with translation.override(export.language):
        try:
            with part.open("wb") as fh:
                rows = _WRITERS[export.kind](fh, export.owner, export.params)
            part.rename(exports_dir() / name)
        except Exception as exc:  # recorded for the user; the worker goes on
            log.exception("export %s failed", export.pk)
            part.unlink(missing_ok=True)
            export.status, export.error = ExportStatus.FAILED, str(exc)[:500]
            title = _("Export failed: %(title)s") % {"title": export.title}
        else:
            export.status, export.rows, export.file_name = ExportStatus.DONE, rows, name
            title = _("Export ready: %(title)s") % {"title": export.title}
        export.finished_at = now()
        export.save(update_fields=["status", "rows", "file_name", "error", "finished_at"])
        notify(
            recipients=[export.owner],
            kind="export",
            title=title,
            link=reverse("core:export_list"),
            dedupe_key=f"export:{export.pk}",
        )
    return export


def exports_of(*, user: Any) -> QuerySet[Export]:
    return Export.objects.filter(owner=user).order_by("-created_at", "-id")


def export_get(*, user: Any, pk: int) -> Export | None:
    """The user's own export, or None (another user's is not found)."""
    return Export.objects.filter(owner=user, pk=pk).first()


def exports_prune(*, today: dt.date | None = None) -> int:
    """Delete exports (record and file) asked for more than ``KEEP_DAYS`` days ago."""
    start = now() if today is None else dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC)
    cutoff = start - dt.timedelta(days=KEEP_DAYS)
    old = Export.objects.filter(created_at__lt=cutoff)
    for name in old.exclude(file_name="").values_list("file_name", flat=True):
        (exports_dir() / name).unlink(missing_ok=True)
    return old.delete()[0]
