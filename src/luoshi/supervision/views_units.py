"""The unit search of the meeting and issue forms: the projects app's picker (a select of
the chosen units and up to twenty matches of the name or code typed), for the office."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from luoshi.core.decorators import perm_required
from luoshi.core.permissions import Perm
from luoshi.orgs import selectors as org_selectors
from luoshi.projects.unit_picker import RESULTS, UnitPicker

# The forms' unit fields; each takes several units.
FIELDS = ("attending_units", "lead_units", "cooperating_units")


@require_GET
@perm_required(Perm.MANAGE_ITEMS)
def unit_pick(request: HttpRequest) -> HttpResponse:
    field = request.GET.get("field", "")
    if field not in FIELDS:
        return HttpResponseBadRequest(_("Unknown field."))
    q = request.GET.get("q", "").strip()[:50]
    matches = (
        list(
            org_selectors.unit_list(user=request.user, q=q, is_active=True)
            .select_related(None)
            .only("id", "code", "name")[:RESULTS]
        )
        if q
        else []
    )
    widget = UnitPicker(url=reverse("supervision:unit_pick"), multiple=True, extra=matches)
    return HttpResponse(
        widget.render_select(field, request.GET.getlist(field), attrs={"id": f"id_{field}"})
    )
