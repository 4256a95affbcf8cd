"""Excel pages of key projects: import the year's list (check first, then import, all or
nothing) and export the list or the progress table in the county layout.

The uploaded file waits for the "import" step under LUOSHI_DATA_DIR/imports/ named by a
random token that only this session knows; it is deleted after the import and swept
after a day."""

from __future__ import annotations

import re
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from luoshi.core.decorators import perm_required
from luoshi.core.permissions import Perm
from luoshi.projects.excel.writer import export_projects, title_for
from luoshi.projects.forms_excel import ExportForm, ProjectImportForm, this_year
from luoshi.projects.services_import import ImportResult, import_projects

SESSION_KEY = "projects_import"
KEEP_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _imports_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _sweep(directory: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for old in directory.glob("*.xlsx"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass


def _store(upload: Any) -> str:
    directory = _imports_dir()
    _sweep(directory)
    token = secrets.token_urlsafe(24)
    with (directory / f"{token}.xlsx").open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    return token


def _stored(request: HttpRequest) -> tuple[Path, dict[str, Any]] | None:
    """The file this session checked, if the posted token is the session's own."""
    pending = request.session.get(SESSION_KEY)
    token = request.POST.get("token", "")
    if not pending or not _TOKEN.match(token) or token != pending.get("token"):
        return None
    path = _imports_dir() / f"{token}.xlsx"
    return (path, pending) if path.exists() else None


def _render(
    request: HttpRequest, form: ProjectImportForm, result: ImportResult | None = None, **extra: Any
) -> HttpResponse:
    context = {
        "nav_section": "projects",
        "form": form,
        "result": result,
        "export_year": this_year(),
        "months": range(1, 13),
        **extra,
    }
    status = 400 if result is not None and result.errors else 200
    return render(request, "projects/import_page.html", context, status=status)


@require_http_methods(["GET", "POST"])
@perm_required(Perm.MANAGE_PROJECTS)
def import_page(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _render(request, ProjectImportForm())
    if request.POST.get("action") == "apply":
        return _apply(request)
    form = ProjectImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form)
    token = _store(form.cleaned_data["file"])
    year = form.cleaned_data["year"]
    path = _imports_dir() / f"{token}.xlsx"
    result = import_projects(actor=request.user, file=path, year=year, dry_run=True)
    filename = form.cleaned_data["file"].name
    if result.errors:
        path.unlink(missing_ok=True)
        request.session.pop(SESSION_KEY, None)
        return _render(request, form, result, filename=filename)
    request.session[SESSION_KEY] = {"token": token, "year": year, "name": filename}
    return _render(request, form, result, token=token, filename=filename)


def _apply(request: HttpRequest) -> HttpResponse:
    stored = _stored(request)
    form = ProjectImportForm()
    if stored is None:
        messages.error(
            request, _("The checked file is no longer available. Upload it and check it again.")
        )
        return redirect("projects:import_projects")
    path, pending = stored
    result = import_projects(actor=request.user, file=path, year=pending["year"], dry_run=False)
    if result.errors:  # the data changed since the check
        return _render(request, form, result, filename=pending["name"])
    path.unlink(missing_ok=True)
    request.session.pop(SESSION_KEY, None)
    messages.success(
        request,
        _("Imported: %(created)s projects created, %(updated)s updated, %(unchanged)s unchanged.")
        % {
            "created": len(result.created),
            "updated": len(result.updated),
            "unchanged": len(result.unchanged),
        },
    )
    return redirect("projects:import_projects")


@require_GET
@perm_required(Perm.VIEW_PROJECTS)
def export_xlsx(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Give a year (2000–2100) and optionally a month (1–12)."))
    year = form.cleaned_data["year"] or this_year()
    month = form.cleaned_data["month"]
    fh = tempfile.TemporaryFile(suffix=".xlsx")
    try:
        export_projects(fh, actor=request.user, year=year, month=month)
        fh.seek(0)
    except BaseException:
        fh.close()
        raise
    return FileResponse(
        fh,
        as_attachment=True,
        filename=f"{title_for(year, month)}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
