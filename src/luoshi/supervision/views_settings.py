"""The office's supervision settings page (督办规则): reminder, lamp and escalation
thresholds, with a link to the working-day calendar the working days are counted on."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from luoshi.core.calendar import LIBRARY_YEARS
from luoshi.core.decorators import perm_required
from luoshi.core.errors import DomainError, apply_to_form
from luoshi.core.permissions import Perm
from luoshi.supervision.forms_settings import SupervisionSettingsForm
from luoshi.supervision.models import SupervisionSettings
from luoshi.supervision.services_jobs import supervision_settings_save


@perm_required(Perm.MANAGE_ITEMS)
@require_http_methods(["GET", "POST"])
def settings_edit(request: HttpRequest) -> HttpResponse:
    current = SupervisionSettings.current()
    form = SupervisionSettingsForm(
        request.POST if request.method == "POST" else None,
        initial=SupervisionSettingsForm.initial_from(current),
    )
    if request.method == "POST" and form.is_valid():
        try:
            supervision_settings_save(actor=request.user, data=form.cleaned_data)
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("Supervision settings saved."))
            return redirect("supervision:settings")
    context = {
        "nav_section": "supervision",
        "form": form,
        "library_first": LIBRARY_YEARS[0],
        "library_last": LIBRARY_YEARS[-1],
    }
    return render(
        request,
        "supervision/settings.html",
        context,
        status=400 if request.method == "POST" else 200,
    )
