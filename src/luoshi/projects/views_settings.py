"""The office's settings pages: the year's lamp thresholds and deadline rule, and the
reporting periods of a year (deadline, counts, lock and unlock, refresh the lamps)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from luoshi.core.calendar import LIBRARY_YEARS
from luoshi.core.decorators import perm_required
from luoshi.core.errors import DomainError, apply_to_form
from luoshi.core.permissions import Perm
from luoshi.projects import periods
from luoshi.projects.choices import Lamp
from luoshi.projects.forms_settings import PeriodOpenForm, PeriodUnlockForm, YearSettingsForm
from luoshi.projects.models import ReportingPeriod, YearSettings
from luoshi.projects.status import status_refresh_period

NAV = "projects"


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"nav_section": NAV, **context}, status=status)


@perm_required(Perm.MANAGE_PROJECTS)
def year_list(request: HttpRequest) -> HttpResponse:
    years = periods.year_settings_rows()
    for s in years:
        s.green_pct = YearSettingsForm.initial_from(s)["green_pct"]
        s.yellow_pct = YearSettingsForm.initial_from(s)["yellow_pct"]
    context = {
        "nav_section": NAV,
        "years": years,
        "library_first": LIBRARY_YEARS[0],
        "library_last": LIBRARY_YEARS[-1],
    }
    return render(request, "projects/settings_years.html", context)


@perm_required(Perm.MANAGE_PROJECTS)
@require_http_methods(["GET", "POST"])
def year_create(request: HttpRequest) -> HttpResponse:
    default = YearSettings(year=periods.local_today().year + 1)
    form = YearSettingsForm(_data(request), initial=YearSettingsForm.initial_from(default))
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        if YearSettings.objects.filter(year=year).exists():
            form.add_error("year", _("%(year)d already has settings.") % {"year": year})
        else:
            try:
                periods.year_settings_save(actor=request.user, year=year, data=form.service_data())
            except DomainError as exc:
                apply_to_form(form, exc)
            else:
                messages.success(request, _("Settings of %(year)d saved.") % {"year": year})
                return redirect("projects:settings_years")
    return _render(request, "projects/settings_year_form.html", {"form": form})


@perm_required(Perm.MANAGE_PROJECTS)
@require_http_methods(["GET", "POST"])
def year_edit(request: HttpRequest, year: int) -> HttpResponse:
    obj = YearSettings.objects.filter(year=year).first()
    if obj is None:
        if not 2000 <= year <= 2100:
            raise Http404
        obj = YearSettings(year=year)  # not saved until the office saves the form
    form = YearSettingsForm(
        _data(request), initial=YearSettingsForm.initial_from(obj), fixed_year=year
    )
    if request.method == "POST" and form.is_valid():
        try:
            periods.year_settings_save(actor=request.user, year=year, data=form.service_data())
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("Settings of %(year)d saved.") % {"year": year})
            return redirect("projects:settings_years")
    return _render(request, "projects/settings_year_form.html", {"form": form, "year": year})


@perm_required(Perm.MANAGE_PROJECTS)
def period_list(request: HttpRequest, year: int) -> HttpResponse:
    if not 2000 <= year <= 2100:
        raise Http404
    rows = periods.period_rows(year=year)
    for row in rows:
        row["lamp_cells"] = [
            (f"lamp-{lamp.value}", lamp.label, row["lamps"].get(lamp.value, 0))
            for lamp in (Lamp.RED, Lamp.YELLOW, Lamp.GREEN, Lamp.GREY)
        ]
    opened = {r["period"].month for r in rows}
    context = {
        "nav_section": NAV,
        "year": year,
        "rows": rows,
        "open_form": PeriodOpenForm(),
        "months_to_open": [m for m in range(1, 13) if m not in opened],
        "unlock_form": PeriodUnlockForm(),
        "years_nav": [year - 1, year + 1],
    }
    return render(request, "projects/settings_periods.html", context)


def _period_or_404(pk: int) -> ReportingPeriod:
    period = ReportingPeriod.objects.filter(pk=pk).first()
    if period is None:
        raise Http404
    return period


@perm_required(Perm.MANAGE_PROJECTS)
@require_POST
def period_open(request: HttpRequest, year: int) -> HttpResponse:
    form = PeriodOpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a month from 1 to 12."))
    else:
        month = form.cleaned_data["month"]
        try:
            period = periods.period_get_or_create(year=year, month=month)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request,
                _("Period %(period)s is open; reports are due on %(deadline)s.")
                % {"period": period, "deadline": period.deadline.isoformat()},
            )
    return redirect("projects:settings_periods", year=year)


@perm_required(Perm.MANAGE_PROJECTS)
@require_POST
def period_lock(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period_or_404(pk)
    try:
        periods.period_lock(actor=request.user, period=period)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Period %(period)s locked.") % {"period": period})
    return redirect("projects:settings_periods", year=period.year)


@perm_required(Perm.MANAGE_PROJECTS)
@require_POST
def period_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period_or_404(pk)
    form = PeriodUnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the period is unlocked."))
        return redirect("projects:settings_periods", year=period.year)
    try:
        periods.period_unlock(actor=request.user, period=period, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Period %(period)s unlocked.") % {"period": period})
    return redirect("projects:settings_periods", year=period.year)


@perm_required(Perm.MANAGE_PROJECTS)
@require_POST
def period_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period_or_404(pk)
    n = status_refresh_period(period=period)
    messages.success(
        request,
        _("Lamps of %(period)s recomputed for %(count)d projects.")
        % {"period": period, "count": n},
    )
    return redirect("projects:settings_periods", year=period.year)
