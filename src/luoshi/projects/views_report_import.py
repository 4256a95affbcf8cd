"""The monthly report sheet page (月报表导入): download the unit's prefilled sheet, upload
it filled in, check it (nothing written), then import — all or nothing, with every bad row
on screen. For a unit's reporter (their unit's projects) and the office (check only, any
unit's sheet; see ``services_report_import``)."""

from __future__ import annotations

import tempfile
from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from luoshi.core.audit import audit_record
from luoshi.core.choices import AuditAction
from luoshi.core.decorators import perm_required
from luoshi.core.permissions import Perm, has_perm
from luoshi.orgs.models import Unit
from luoshi.projects.excel.reader import MAX_FILE_BYTES
from luoshi.projects.excel.reports import prefilled_title, write_prefilled
from luoshi.projects.models import Project
from luoshi.projects.services_report_import import ReportImportResult, import_reports
from luoshi.projects.services_reports import open_period_month
from luoshi.projects.views_excel import _imports_dir, _store

SESSION_KEY = "reports_import"


class ReportImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        help_text=gettext_lazy(
            "The unit's monthly report sheet: the prefilled sheet of step 1, or the "
            "county's own layout with 项目名称, 本月完成投资, 形象进度, 存在问题 columns."
        ),
    )
    submit_after = forms.BooleanField(
        label=gettext_lazy("Submit the reports after import"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xlsx"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB.") % {"limit": MAX_FILE_BYTES // 1048576}
            )
        return upload


def _render(
    request: HttpRequest,
    form: ReportImportForm,
    result: ReportImportResult | None = None,
    **extra: Any,
) -> HttpResponse:
    year, month = open_period_month()
    is_office = has_perm(request.user, Perm.ACCEPT_REPORTS)
    context = {
        "nav_section": "review" if is_office else "reporting",
        "form": form,
        "result": result,
        "year": year,
        "month": month,
        "is_office": is_office,
        "may_write": has_perm(request.user, Perm.FILL_REPORTS),
        "units": Unit.objects.filter(is_active=True).order_by("code").values("id", "name")
        if is_office
        else [],
        **extra,
    }
    status = 400 if result is not None and result.errors else 200
    return render(request, "projects/report_import.html", context, status=status)


@require_http_methods(["GET", "POST"])
@perm_required(Perm.FILL_REPORTS, Perm.ACCEPT_REPORTS)
def report_import_page(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _render(request, ReportImportForm())
    if request.POST.get("action") == "apply":
        return _apply(request)
    form = ReportImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form)
    year, month = open_period_month()
    token = _store(form.cleaned_data["file"])
    path = _imports_dir() / f"{token}.xlsx"
    submit = form.cleaned_data["submit_after"]
    result = import_reports(
        actor=request.user, file=path, year=year, month=month, dry_run=True, submit=submit
    )
    filename = form.cleaned_data["file"].name
    if result.errors or not has_perm(request.user, Perm.FILL_REPORTS):
        path.unlink(missing_ok=True)
        request.session.pop(SESSION_KEY, None)
        return _render(request, form, result, filename=filename)
    request.session[SESSION_KEY] = {
        "token": token,
        "year": year,
        "month": month,
        "name": filename,
        "submit": submit,
    }
    return _render(request, form, result, token=token, filename=filename)


def _apply(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(SESSION_KEY)
    token = request.POST.get("token", "")
    path = _imports_dir() / f"{token}.xlsx"
    if not pending or token != pending.get("token") or not token.isascii() or not path.exists():
        messages.error(
            request, _("The checked file is no longer available. Upload it and check it again.")
        )
        return redirect("projects:import_reports")
    result = import_reports(
        actor=request.user,
        file=path,
        year=pending["year"],
        month=pending["month"],
        dry_run=False,
        submit=pending["submit"],
    )
    if result.errors:  # the data changed since the check
        return _render(request, ReportImportForm(), result, filename=pending["name"])
    path.unlink(missing_ok=True)
    request.session.pop(SESSION_KEY, None)
    messages.success(
        request,
        _(
            "Imported: %(created)s reports started, %(updated)s updated, %(unchanged)s "
            "unchanged, %(submitted)s submitted."
        )
        % {
            "created": len(result.created),
            "updated": len(result.updated),
            "unchanged": len(result.unchanged),
            "submitted": result.submitted,
        },
    )
    return redirect("projects:import_reports")


@require_GET
@perm_required(Perm.FILL_REPORTS, Perm.ACCEPT_REPORTS)
def report_template(request: HttpRequest) -> HttpResponse:
    """The prefilled sheet of the open period: a reporter's own unit; the office every
    unit, or one with ?unit=<id>."""
    year, month = open_period_month()
    projects = Project.objects.filter(year=year)
    if has_perm(request.user, Perm.ACCEPT_REPORTS):
        unit = request.GET.get("unit", "")
        if unit:
            if not unit.isdigit():
                return HttpResponseBadRequest(_("Choose a unit from the list."))
            projects = projects.filter(responsible_unit_id=int(unit))
    elif request.user.unit_id is None:
        projects = projects.none()
    else:
        projects = projects.filter(responsible_unit_id=request.user.unit_id)
    fh = tempfile.TemporaryFile(suffix=".xlsx")
    try:
        rows = write_prefilled(fh, projects=projects, year=year, month=month)
        fh.seek(0)
    except BaseException:
        fh.close()
        raise
    audit_record(
        action=AuditAction.EXPORT,
        actor=request.user,
        object_type="projects.monthlyreport",
        object_repr=prefilled_title(year, month),
        after={"year": year, "month": month, "rows": rows},
    )
    return FileResponse(
        fh,
        as_attachment=True,
        filename=f"{prefilled_title(year, month)}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
