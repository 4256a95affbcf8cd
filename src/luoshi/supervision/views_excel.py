"""Excel pages of supervision items: import the office's item list (check first, then
import, all or nothing, every bad row on screen) and download the ledger (督办台账) of the
items the reader may see, filtered like the ledger page.

The checked file waits for the "import" step under LUOSHI_DATA_DIR/imports/ named by a
random token only this session knows (as for key projects)."""

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

from luoshi.core import exports
from luoshi.core.decorators import perm_required
from luoshi.core.errors import DomainError
from luoshi.core.permissions import Perm
from luoshi.projects.views_excel import _TOKEN, _imports_dir, _store
from luoshi.supervision.choices import ItemLamp, ItemSource, ItemStatus
from luoshi.supervision.excel_export import (
    EXPORT_NOW_MAX,
    LEDGER_EXPORT,
    ledger_count,
    title_for,
    write_ledger,
)
from luoshi.supervision.excel_import import ImportResult, import_items
from luoshi.supervision.selectors import today_rules

SESSION_KEY = "supervision_items_import"
MAX_UPLOAD = 20 * 1024 * 1024


class ItemImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Item list (.xlsx)"),
        help_text=gettext_lazy(
            "Columns recognised by their titles: 序号, 事项内容 (or 督办事项), 来源, 文号, "
            "牵头单位, 配合单位, 责任领导, 完成时限 (a date or N个工作日), 优先级."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx)."))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": MAX_UPLOAD // 2**20}
            )
        return upload


class LedgerFilterForm(forms.Form):
    """The ledger page's filters, as query parameters."""

    status = forms.ChoiceField(
        choices=[("", ""), ("open", "open"), *ItemStatus.choices], required=False
    )
    lamp = forms.ChoiceField(choices=[("", "")] + ItemLamp.choices, required=False)
    source = forms.ChoiceField(choices=[("", "")] + ItemSource.choices, required=False)
    unit = forms.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    leader = forms.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    overdue = forms.NullBooleanField(required=False)

    def filters(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "status": d["status"],
            "lamp": d["lamp"],
            "source": d["source"],
            "unit_id": d["unit"],
            "leader_id": d["leader"],
            "overdue": d["overdue"],
        }


def _render(
    request: HttpRequest, form: ItemImportForm, result: ImportResult | None = None, **extra: Any
) -> HttpResponse:
    status = 400 if result is not None and result.errors else 200
    context = {"nav_section": "supervision", "form": form, "result": result, **extra}
    return render(request, "supervision/item_import.html", context, status=status)


@require_http_methods(["GET", "POST"])
@perm_required(Perm.MANAGE_ITEMS)
def item_import(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _render(request, ItemImportForm())
    if request.POST.get("action") == "apply":
        return _apply(request)
    form = ItemImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form)
    name = form.cleaned_data["file"].name
    token = _store(form.cleaned_data["file"])
    path = _imports_dir() / f"{token}.xlsx"
    result = import_items(actor=request.user, file=path, dry_run=True, filename=name)
    if result.errors or not result.items:
        path.unlink(missing_ok=True)
        request.session.pop(SESSION_KEY, None)
        return _render(request, form, result, filename=name)
    request.session[SESSION_KEY] = {"token": token, "name": name}
    return _render(request, form, result, token=token, filename=name)


def _apply(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(SESSION_KEY)
    token = request.POST.get("token", "")
    path = _imports_dir() / f"{token}.xlsx" if _TOKEN.match(token) else None
    if not pending or token != pending.get("token") or path is None or not path.exists():
        messages.error(
            request, _("The checked file is no longer available. Upload it and check it again.")
        )
        return redirect("supervision:item_import")
    try:
        result = import_items(
            actor=request.user, file=path, dry_run=False, filename=pending["name"]
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("supervision:item_import")
    if result.errors:  # the data changed since the check
        return _render(request, ItemImportForm(), result, filename=pending["name"])
    path.unlink(missing_ok=True)
    request.session.pop(SESSION_KEY, None)
    messages.success(
        request,
        _("Imported %(n)s supervision items: %(first)s – %(last)s.")
        % {"n": len(result.items), "first": result.items[0].code, "last": result.items[-1].code},
    )
    return redirect("supervision:item_import")


@require_GET
@perm_required(Perm.VIEW_ITEMS)
def ledger_export(request: HttpRequest) -> HttpResponse:
    form = LedgerFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("The ledger filters are not valid."))
    today = today_rules()
    filters = form.filters()
    n = ledger_count(user=request.user, today=today, filters=filters)
    if n > EXPORT_NOW_MAX:
        exports.export_request(
            user=request.user,
            kind=LEDGER_EXPORT,
            title=title_for(today.cutoffs.today),
            params=filters,
        )
        messages.info(
            request,
            _(
                "The ledger holds %(n)s items: it is being prepared in the background. "
                "You will be told in Notifications when it is ready to download here."
            )
            % {"n": f"{n:,}"},
        )
        return redirect("core:export_list")
    fh = tempfile.TemporaryFile(suffix=".xlsx")
    try:
        write_ledger(fh, user=request.user, today=today, filters=filters)
        fh.seek(0)
    except BaseException:
        fh.close()
        raise
    return FileResponse(
        fh,
        as_attachment=True,
        filename=f"{title_for(today.cutoffs.today)}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
