"""The working-day calendar overrides page (office): list a year's overrides, add, edit or
delete one, and see which years the statutory holiday library covers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from luoshi.core import services_calendar as services
from luoshi.core.clock import now
from luoshi.core.decorators import perm_required
from luoshi.core.errors import DomainError, apply_to_form
from luoshi.core.models import CalendarDay
from luoshi.core.permissions import Perm

PAGE_SIZE = 100
NAV = "projects"


class CalendarDayForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    is_working_day = forms.TypedChoiceField(
        label=gettext_lazy("The day is"),
        choices=[
            ("0", gettext_lazy("a holiday (休)")),
            ("1", gettext_lazy("a working day (班)")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("E.g. 春节, 国庆节调休."),
    )


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    try:
        year = int(raw) if raw else timezone.localtime(now()).year
    except ValueError:
        year = timezone.localtime(now()).year
    return year if 2000 <= year <= 2100 else timezone.localtime(now()).year


@perm_required(Perm.MANAGE_PROJECTS)
def calendar_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    known = services.calendar_years()
    page = Paginator(services.calendar_days_of_year(year), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    years = sorted({year - 1, year, year + 1, *known["override_years"]} & set(range(2000, 2101)))
    context = {
        "nav_section": NAV,
        "year": year,
        "years": years,
        "in_library": known["library_first"] <= year <= known["library_last"],
        "has_overrides": year in known["override_years"],
        "page_obj": page,
        "querystring_without_page": f"year={year}&",
        **known,
    }
    return render(request, "core/calendar_list.html", context)


def _back(day_year: int) -> str:
    return f"{reverse('core:calendar_list')}?year={day_year}"


def _render_form(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    return render(
        request, "core/calendar_form.html", {"nav_section": NAV, **context}, status=status
    )


@perm_required(Perm.MANAGE_PROJECTS)
@require_http_methods(["GET", "POST"])
def calendar_create(request: HttpRequest) -> HttpResponse:
    form = CalendarDayForm(
        request.POST if request.method == "POST" else None, initial={"is_working_day": "0"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            day = services.calendar_day_create(actor=request.user, data=form.cleaned_data)
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("Override of %(date)s saved.") % {"date": day.date})
            return redirect(_back(day.date.year))
    return _render_form(request, {"form": form, "back": _back(_year(request))})


def _day_or_404(pk: int) -> CalendarDay:
    day = CalendarDay.objects.filter(pk=pk).first()
    if day is None:
        raise Http404
    return day


@perm_required(Perm.MANAGE_PROJECTS)
@require_http_methods(["GET", "POST"])
def calendar_edit(request: HttpRequest, pk: int) -> HttpResponse:
    day = _day_or_404(pk)
    initial = {
        "date": day.date,
        "is_working_day": "1" if day.is_working_day else "0",
        "note": day.note,
    }
    form = CalendarDayForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            day = services.calendar_day_update(actor=request.user, day=day, data=form.cleaned_data)
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("Override of %(date)s saved.") % {"date": day.date})
            return redirect(_back(day.date.year))
    return _render_form(request, {"form": form, "day": day, "back": _back(day.date.year)})


@perm_required(Perm.MANAGE_PROJECTS)
@require_POST
def calendar_delete(request: HttpRequest, pk: int) -> HttpResponse:
    day = _day_or_404(pk)
    services.calendar_day_delete(actor=request.user, day=day)
    messages.success(request, _("Override of %(date)s deleted.") % {"date": day.date})
    return redirect(_back(day.date.year))
