"""My exports (我的导出): the files the worker wrote for this user, and their download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from luoshi.core import exports as services
from luoshi.core.models import ExportStatus

PAGE_SIZE = 50


@login_required
def export_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(services.exports_of(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    waiting = any(e.status in (ExportStatus.QUEUED, ExportStatus.RUNNING) for e in page)
    return render(
        request,
        "core/exports.html",
        {
            "page_obj": page,
            "querystring_without_page": "",
            "waiting": waiting,
            "keep_days": services.KEEP_DAYS,
        },
    )


@login_required
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    export = services.export_get(user=request.user, pk=pk)
    path = services.file_of(export) if export is not None else None
    if path is None:
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"{export.title}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
