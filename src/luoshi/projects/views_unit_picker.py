"""The unit search of the project form (``unit_picker``): answers the form's select again,
listing the chosen units and up to twenty that match the name or code typed."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from luoshi.core.decorators import perm_required
from luoshi.core.permissions import Perm
from luoshi.orgs import selectors as org_selectors
from luoshi.projects.unit_picker import RESULTS, UnitPicker

# The form's unit fields (prefix "p"), and whether each takes several units.
FIELDS = {"p-responsible_unit": False, "p-cooperating_units": True}


@require_GET
@perm_required(Perm.MANAGE_PROJECTS)
def unit_pick(request: HttpRequest) -> HttpResponse:
    field = request.GET.get("field", "")
    if field not in FIELDS:
        return HttpResponseBadRequest(_("Unknown field."))
    multiple = FIELDS[field]
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
    chosen = request.GET.getlist(field)
    widget = UnitPicker(url=reverse("projects:unit_pick"), multiple=multiple, extra=matches)
    value = chosen if multiple else (chosen[0] if chosen else None)
    return HttpResponse(widget.render_select(field, value, attrs={"id": f"id_{field}"}))
