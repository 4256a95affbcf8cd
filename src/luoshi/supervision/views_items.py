"""The item page (督办事项) and its workflow steps."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from luoshi.supervision.models import Item
from luoshi.supervision.scope import can_see


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Item, pk=pk)
    if not can_see(request.user, item):
        raise Http404
    return render(request, "supervision/item_detail.html", {"item": item})
