"""Project library pages (项目库): the list, a project's page, and the office's create and
edit with the plan curve and milestones.

Thin views: parse the request, call selectors or one service, render. What a user may see
comes from ``projects.selectors``; what they may do from ``perm_required`` and the
services, which check again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from luoshi.core.clock import now
from luoshi.core.decorators import perm_required
from luoshi.core.errors import DomainError, apply_to_form
from luoshi.core.money import format_money
from luoshi.core.permissions import Perm, has_perm, unit_scope
from luoshi.core.tables import options
from luoshi.orgs import selectors as org_selectors
from luoshi.orgs.forms import parse_id
from luoshi.projects import selectors, unit_picker
from luoshi.projects.choices import Lamp, MilestoneKind, Stage
from luoshi.projects.forms_projects import (
    MilestoneFormSet,
    PlanForm,
    ProjectForm,
    milestone_data,
    milestone_initial,
)
from luoshi.projects.models import Project
from luoshi.projects.services_projects import project_create, project_update
from luoshi.projects.tables import lamp_badge, project_table, ratio_percent, report_history_table

PAGE_SIZE = 50
UNIT_SELECT_MAX = 300


def _parse_int(value: str | None, lo: int, hi: int) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if lo <= number <= hi else None


def _list_filters(request: HttpRequest, years: list[int]) -> dict[str, Any]:
    g = request.GET
    year = _parse_int(g.get("year"), 2000, 2100) or selectors.default_year(years)
    stage, lamp = g.get("stage", ""), g.get("lamp", "")
    return {
        "year": year,
        "q": g.get("q", "")[:100],
        "category_id": parse_id(g.get("category")),
        "stage": stage if stage in Stage.values else "",
        "unit_id": parse_id(g.get("unit")),
        "unit_q": g.get("unit_q", "")[:100],
        "leader_id": parse_id(g.get("leader")),
        "lamp": lamp if lamp in Lamp.values else "",
    }


def _unit_filter(request: HttpRequest, unit_id: int | None) -> dict[str, Any]:
    """A drop-down of units for a county; at province scale a text box on the unit's name
    or code instead (as on the account list). The options are plain (id, name) pairs
    rendered by ``core.tables.options``: hundreds of model instances through the template
    engine cost more than the rest of the page."""
    if unit_scope(request.user).all_units:
        units = org_selectors.active_unit_pairs(UNIT_SELECT_MAX)
        if units is not None:
            return {"units": units, "unit_options": options(units, unit_id), "unit_chip": None}
        chip = org_selectors.unit_get(user=request.user, pk=unit_id) if unit_id else None
        return {"units": None, "unit_options": "", "unit_chip": chip}
    choices = org_selectors.unit_choice_list(user=request.user)
    beyond = choices.order_by().values_list("pk", flat=True)[UNIT_SELECT_MAX : UNIT_SELECT_MAX + 1]
    if not beyond:
        units = list(choices.values_list("pk", "name"))
        return {
            "units": units,
            "unit_options": options(units, unit_id),
            "unit_chip": None,
        }
    chip = org_selectors.unit_get(user=request.user, pk=unit_id) if unit_id else None
    return {"units": None, "unit_options": "", "unit_chip": chip}


@perm_required(Perm.VIEW_PROJECTS)
def project_list(request: HttpRequest) -> HttpResponse:
    years = selectors.project_years(user=request.user)
    filters = _list_filters(request, years)
    month = _parse_int(request.GET.get("month"), 1, 12)
    period, months = selectors.list_period(year=filters["year"], month=month)
    page = selectors.project_rows_page(
        user=request.user,
        page=request.GET.get("page"),
        per_page=PAGE_SIZE,
        period=period,
        **filters,
    )
    counts = page.lamp_counts
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    lamp_params = params.copy()
    lamp_params.pop("lamp", None)
    lamp_links = []
    for value, label in Lamp.choices:
        lamp_params["lamp"] = value
        lamp_links.append(
            {"value": value, "label": label, "n": counts[value], "qs": lamp_params.urlencode()}
        )
    export_month = period.month if period else (month or now().month)
    month_label = _("Month %(m)s")
    context = {
        "nav_section": "projects",
        "filters": filters,
        "years": years,
        "month": period.month if period else month,
        "months": months,
        "period": period,
        # The filters' options joined in Python (``core.tables.options``): as template
        # loops, with a translated label each, they cost a fifth of the page.
        "year_options": options(((y, y) for y in years), filters["year"]),
        "month_options": options(
            ((m, month_label % {"m": m}) for m in months), period.month if period else month
        ),
        "category_options": options(selectors.category_pairs(), filters["category_id"]),
        "stage_options": options(Stage.choices, filters["stage"]),
        "lamp_options": options(Lamp.choices, filters["lamp"]),
        "leader_options": options(
            selectors.leader_pairs(user=request.user, year=filters["year"]), filters["leader_id"]
        ),
        **_unit_filter(request, filters["unit_id"]),
        "lamp_links": lamp_links,
        "no_lamp": counts["none"],
        "total": page.paginator.count,
        "can_manage": has_perm(request.user, Perm.MANAGE_PROJECTS),
        "export_url": (
            f"{reverse('projects:export_projects')}"
            f"?year={filters['year'] or ''}&month={export_month}"
        ),
        "page_obj": page,
        "querystring_without_page": f"{encoded}&" if encoded else "",
    }
    context["table"] = project_table(page, filtered=bool(encoded))
    return render(request, "projects/project_list.html", context)


def _project_or_404(request: HttpRequest, pk: int) -> Project:
    project = selectors.project_get(user=request.user, pk=pk)
    if project is None:
        raise Http404
    return project


@perm_required(Perm.VIEW_PROJECTS)
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    data = selectors.project_page(user=request.user, pk=pk)
    if data is None:
        raise Http404
    project, reports, status = data.project, data.reports, data.status
    chart = selectors.project_chart(project=project, reports=reports, plan=data.plan)
    today = now().date()
    milestones = [
        {
            "m": m,
            "overdue": m.reached_on is None and m.planned_on < today,
            "late": m.reached_on is not None and m.reached_on > m.planned_on,
        }
        for m in data.milestones
    ]
    labels = {value: str(label) for value, label in Lamp.choices}
    money = {
        "total": format_money(project.total_investment),
        "annual": format_money(project.annual_plan),
        "planned_ytd": format_money(status.planned_ytd) if status else "",
        "actual_ytd": format_money(status.actual_ytd) if status else "",
    }
    context = {
        "nav_section": "projects",
        "project": project,
        "money": money,
        "status": status,
        "lamp_html": lamp_badge(status.lamp, labels) if status else None,
        "ratio": ratio_percent(status.ratio) if status else "",
        "reports": reports,
        "reports_table": report_history_table(reports),
        "milestones": milestones,
        "chart": {
            "months": chart.months,
            "planned": chart.planned,
            "actual": chart.actual,
            "labels": {
                "planned": _("Planned (cumulative)"),
                "actual": _("Completed (year to date)"),
                "unit": _("10k yuan"),
                "month": _("Month"),
            },
        },
        "has_plan": bool(data.plan),
        "cooperating_units": data.cooperating_units,
        "leaders": data.leaders,
        "can_manage": has_perm(request.user, Perm.MANAGE_PROJECTS),
        "milestone_kinds": dict(MilestoneKind.choices),
    }
    return render(request, "projects/project_detail.html", context)


def _forms(request: HttpRequest, project: Project | None) -> tuple[Any, Any, Any]:
    data = request.POST if request.method == "POST" else None
    units = org_selectors.unit_choice_list(user=request.user)
    form = ProjectForm(
        data,
        initial=ProjectForm.initial_of(project) if project else {"year": now().year},
        categories=selectors.category_choices(),
        units=units,
        leaders=org_selectors.leader_list(user=request.user, is_active=True),
        unit_picker_url=reverse("projects:unit_pick") if unit_picker.is_large(units) else None,
        prefix="p",
    )
    plan = PlanForm(data, initial=PlanForm.initial_of(project) if project else None, prefix="plan")
    milestones = MilestoneFormSet(
        data, initial=milestone_initial(project) if project else None, prefix="ms"
    )
    return form, plan, milestones


def _save(request: HttpRequest, project: Project | None) -> HttpResponse:
    form, plan, milestones = _forms(request, project)
    errors: dict[str, str] = {}
    if request.method == "POST":
        valid = all([form.is_valid(), plan.is_valid(), milestones.is_valid()])
        if valid:
            data = {
                **form.cleaned_data,
                "cooperating_units": list(form.cleaned_data["cooperating_units"]),
                "leaders": list(form.cleaned_data["leaders"]),
                "plan": plan.amounts(),
                "milestones": milestone_data(milestones),
            }
            try:
                if project is None:
                    saved = project_create(actor=request.user, data=data)
                    message = _("Project “%(name)s” created.")
                else:
                    saved = project_update(actor=request.user, project=project, data=data)
                    message = _("Project “%(name)s” saved.")
            except DomainError as exc:
                if exc.field in ("plan", "milestones"):
                    errors[exc.field] = str(exc.message)
                else:
                    apply_to_form(form, exc)
            else:
                messages.success(request, message % {"name": saved.name})
                return redirect("projects:project_detail", pk=saved.pk)
    context = {
        "nav_section": "projects",
        "project": project,
        "form": form,
        "plan": plan,
        "milestones": milestones,
        "plan_error": errors.get("plan"),
        "milestone_error": errors.get("milestones"),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/project_form.html", context, status=status)


@perm_required(Perm.MANAGE_PROJECTS)
@require_http_methods(["GET", "POST"])
def project_new(request: HttpRequest) -> HttpResponse:
    return _save(request, None)


@perm_required(Perm.MANAGE_PROJECTS)
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _save(request, _project_or_404(request, pk))
