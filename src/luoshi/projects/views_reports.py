"""Pages of the monthly report workflow: the unit's reporting page (reporter and unit head),
the report form, the report page with its workflow buttons, photos, and the office's
review queue. Thin views: parse, call one service or selector, render."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from luoshi.core.decorators import perm_required
from luoshi.core.errors import Conflict, DomainError, apply_to_form
from luoshi.core.paging import page_of_queryset
from luoshi.core.permissions import Perm, has_perm
from luoshi.core.tables import options
from luoshi.projects import selectors_reports as selectors
from luoshi.projects import services_reports as services
from luoshi.projects.forms_reports import ReasonForm, ReportForm
from luoshi.projects.models import MonthlyReport, Project, ReportingPeriod
from luoshi.projects.photos import photo_add, photo_file, photo_prepare
from luoshi.projects.report_content import earlier_totals
from luoshi.projects.tables_reports import (
    coordination_table,
    queue_table,
    reporting_table,
    status_tag,
    unit_count_table,
)

PAGE_SIZE = 50
COORDINATION_SHOWN = 100
REPORT_READERS = (Perm.VIEW_PROJECTS,)


def _or_404(obj: Any) -> Any:
    if obj is None:
        raise Http404
    return obj


def _page(request: HttpRequest, qs: Any) -> dict[str, Any]:
    page = page_of_queryset(qs, number=request.GET.get("page"), per_page=PAGE_SIZE)
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return {"page_obj": page, "querystring_without_page": f"{encoded}&" if encoded else ""}


def _chosen_period(
    request: HttpRequest, periods: list[ReportingPeriod] | None = None
) -> ReportingPeriod:
    """``?period=YYYY-MM`` if it names an existing period, else the open period. Looked up
    first among ``periods`` (the chooser's, already read), then in the database."""
    known = {(p.year, p.month): p for p in periods or []}
    raw = request.GET.get("period", "")
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", raw)
    if match:
        key = (int(match[1]), int(match[2]))
        period = known.get(key) or ReportingPeriod.objects.filter(year=key[0], month=key[1]).first()
        if period is not None:
            return period
    return known.get(services.open_period_month()) or services.open_period()


def _period_context(
    request: HttpRequest, period: ReportingPeriod, periods: list[ReportingPeriod] | None = None
) -> dict[str, Any]:
    open_year, open_month = services.open_period_month()
    if periods is None:
        periods = selectors.period_list(user=request.user)
    # Two dozen options, each a translated label: cheaper joined here than as template tags.
    label = _("%(y)s, month %(m)s")
    return {
        "period": period,
        "period_key": f"{period.year}-{period.month:02d}",
        "is_open_period": (period.year, period.month) == (open_year, open_month),
        "deadline_passed": services.is_after_deadline(period),
        "periods": periods,
        "period_options": options(
            ((f"{p.year}-{p.month:02d}", label % {"y": p.year, "m": p.month}) for p in periods),
            f"{period.year}-{period.month:02d}",
        ),
    }


# ---------------------------------------------------------------------------------------
# The unit's reporting page


@perm_required(Perm.FILL_REPORTS, Perm.APPROVE_REPORTS)
def reporting(request: HttpRequest) -> HttpResponse:
    """The unit's projects for the period (the open one unless another is chosen), each
    with its report's state and the next step for this user."""
    periods = selectors.period_list(user=request.user)
    period = _chosen_period(request, periods)
    context = {
        "nav_section": "reporting",
        "unit": request.user.unit,
        "can_import": has_perm(request.user, Perm.FILL_REPORTS),
        **_period_context(request, period, periods),
        **_page(request, selectors.reporting_rows(user=request.user, period=period)),
    }
    context["table"] = reporting_table(
        context["page_obj"],
        can_fill=has_perm(request.user, Perm.FILL_REPORTS),
        can_approve=has_perm(request.user, Perm.APPROVE_REPORTS),
        period_open=context["is_open_period"],
        period_locked=period.is_locked,
    )
    return render(request, "projects/reporting_unit.html", context)


# ---------------------------------------------------------------------------------------
# The report form


def _form(
    request: HttpRequest,
    project: Project,
    period: ReportingPeriod,
    report: MonthlyReport | None,
    data: Any = None,
) -> ReportForm:
    milestones = list(project.milestones.all())
    reached = (
        {rm.milestone_id: rm.reached_on for rm in report.milestones_reached.all()} if report else {}
    )
    previous_ytd, previous_since = earlier_totals(
        project=project, period=period, exclude_pk=report.pk if report else None
    )
    return ReportForm(
        data,
        request.FILES if data is not None else None,
        initial=ReportForm.initial_of(report, reached, milestones),
        milestones=milestones,
        first_report=previous_since is None,
        first_of_year=previous_ytd is None and period.month > 1,
        weighted=any(m.weight is not None for m in milestones),
    )


def _save(
    request: HttpRequest,
    *,
    project: Project,
    period: ReportingPeriod,
    report: MonthlyReport | None,
) -> HttpResponse:
    """Save (and maybe submit) the posted form; on a refusal, the form again with the
    user's input and the reason."""
    form = _form(request, project, period, report, request.POST)
    status = 400
    if form.is_valid():
        try:
            prepared = [photo_prepare(upload=f) for f in form.cleaned_data["photos"]]
            with transaction.atomic():
                saved = services.report_save(
                    actor=request.user,
                    project=project,
                    period=period,
                    data=form.service_data(),
                    version=form.cleaned_data.get("version"),
                )
                for photo in prepared:
                    photo_add(actor=request.user, report=saved, photo=photo)
                if request.POST.get("action") == "submit":
                    services.report_submit(actor=request.user, report=saved)
        except Conflict as exc:
            status = 409
            current = MonthlyReport.objects.get(project=project, period=period)
            # Keep the user's input, but build on the stored version from now on.
            data = request.POST.copy()
            data["version"] = str(current.version)
            form = _form(request, project, period, current, data)
            form.is_valid()
            apply_to_form(form, exc)
            report = current
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            if request.POST.get("action") == "submit":
                messages.success(request, _("The report was submitted to your unit head."))
            else:
                messages.success(request, _("The draft was saved."))
            return redirect("projects:report_detail", pk=saved.pk)
    return _render_form(request, form, project, period, report, status=status)


def _render_form(
    request: HttpRequest,
    form: ReportForm,
    project: Project,
    period: ReportingPeriod,
    report: MonthlyReport | None,
    *,
    status: int = 200,
) -> HttpResponse:
    context = {
        "nav_section": "reporting",
        "form": form,
        "project": project,
        "report": report,
        "status_tag": status_tag(report.status if report else None),
        "photos": list(report.photos.all()) if report else [],
        **_period_context(request, period),
    }
    return render(request, "projects/report_form.html", context, status=status)


@perm_required(Perm.FILL_REPORTS)
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest, project_id: int) -> HttpResponse:
    """Start the open period's report of a project of the user's unit."""
    project = _or_404(selectors.reportable_project(user=request.user, pk=project_id))
    period = services.open_period()
    existing = MonthlyReport.objects.filter(project=project, period=period).first()
    if existing is not None and request.method == "GET":
        return redirect("projects:report_edit", pk=existing.pk)
    if request.method == "POST":
        return _save(request, project=project, period=period, report=existing)
    return _render_form(request, _form(request, project, period, None), project, period, None)


@perm_required(Perm.FILL_REPORTS)
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _or_404(selectors.report_get(user=request.user, pk=pk))
    if request.method == "POST":
        return _save(request, project=report.project, period=report.period, report=report)
    if not services.may_edit(request.user, report):
        messages.warning(
            request,
            _("This report is %(status)s; it cannot be edited now.")
            % {"status": report.get_status_display()},
        )
        return redirect("projects:report_detail", pk=report.pk)
    form = _form(request, report.project, report.period, report)
    return _render_form(request, form, report.project, report.period, report)


# ---------------------------------------------------------------------------------------
# The report page and its workflow steps


@perm_required(*REPORT_READERS)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _or_404(selectors.report_detail(user=request.user, pk=pk))
    user = request.user
    milestones = [
        (m, report.reached.get(m.pk), m.reached_on) for m in report.project.milestones.all()
    ]
    context = {
        "nav_section": "review" if has_perm(user, Perm.ACCEPT_REPORTS) else "reporting",
        "report": report,
        "project": report.project,
        "period": report.period,
        "status_tag": status_tag(report.status),
        "milestones": milestones,
        "photos": report.photo_list,
        "can_edit": services.may_edit(user, report),
        "can_approve": services.may_approve(user, report),
        "can_accept": services.may_accept(user, report),
        "can_correct": services.may_correct(user, report),
        "reason_form": ReasonForm(),
    }
    return render(request, "projects/report_detail.html", context)


def _step(request: HttpRequest, pk: int, run: Any, done: str) -> HttpResponse:
    report = _or_404(selectors.report_get(user=request.user, pk=pk))
    try:
        run(report)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, done)
        if request.POST.get("next") == "review":
            return redirect(
                f"{reverse('projects:review')}?period={report.period.year}-{report.period.month:02d}"
            )
    return redirect("projects:report_detail", pk=report.pk)


@perm_required(Perm.FILL_REPORTS)
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        lambda r: services.report_submit(actor=request.user, report=r),
        _("The report was submitted to your unit head."),
    )


@perm_required(Perm.APPROVE_REPORTS)
@require_POST
def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        lambda r: services.report_approve(actor=request.user, report=r),
        _("The report was approved and sent to the supervision office."),
    )


@perm_required(Perm.ACCEPT_REPORTS)
@require_POST
def report_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        lambda r: services.report_accept(actor=request.user, report=r),
        _("The report was accepted."),
    )


@perm_required(Perm.APPROVE_REPORTS, Perm.ACCEPT_REPORTS)
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit head or the office sends the report back, saying why."""
    reason = request.POST.get("reason", "")
    if has_perm(request.user, Perm.ACCEPT_REPORTS):
        service = services.report_return_by_office
    else:
        service = services.report_return_by_head
    return _step(
        request,
        pk,
        lambda r: service(actor=request.user, report=r, reason=reason),
        _("The report was returned with your reason."),
    )


@perm_required(Perm.ACCEPT_REPORTS)
@require_http_methods(["GET", "POST"])
def report_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """The office's audited correction of an accepted report or one of a locked period."""
    report = _or_404(selectors.report_get(user=request.user, pk=pk))
    data = request.POST if request.method == "POST" else None
    form = _form(request, report.project, report.period, report, data)
    for name in [n for n in form.fields if n.startswith("ms_")]:
        form.fields[name].disabled = False
    status = 200
    if request.method == "POST":
        status = 400
        reason = request.POST.get("reason", "")
        if form.is_valid():
            data = form.service_data()
            data["milestones"] = {
                m.pk: form.cleaned_data.get(f"ms_{m.pk}")
                for m in form.milestones
                if form.cleaned_data.get(f"ms_{m.pk}")
            }
            data["version"] = form.cleaned_data.get("version")
            try:
                services.report_correct(actor=request.user, report=report, data=data, reason=reason)
            except DomainError as exc:
                apply_to_form(form, exc)
                status = 409 if isinstance(exc, Conflict) else 400
            else:
                messages.success(request, _("The correction was saved and recorded."))
                return redirect("projects:report_detail", pk=report.pk)
    context = {
        "nav_section": "review",
        "form": form,
        "project": report.project,
        "report": report,
        "correcting": True,
        "reason": request.POST.get("reason", ""),
        "status_tag": status_tag(report.status),
        "photos": [],
        **_period_context(request, report.period),
    }
    return render(request, "projects/report_form.html", context, status=status)


# ---------------------------------------------------------------------------------------
# Photos: served only to who may see the report


def _serve(request: HttpRequest, pk: int, *, thumb: bool) -> HttpResponse:
    photo = _or_404(selectors.photo_get(user=request.user, pk=pk))
    path = _or_404(photo_file(photo.thumb_path if thumb else photo.path))
    response = FileResponse(path.open("rb"), content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = f'inline; filename="photo-{photo.pk}.jpg"'
    return response


@perm_required(*REPORT_READERS)
def photo_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _serve(request, pk, thumb=False)


@perm_required(*REPORT_READERS)
def photo_thumb(request: HttpRequest, pk: int) -> HttpResponse:
    return _serve(request, pk, thumb=True)


# ---------------------------------------------------------------------------------------
# The office's review


@perm_required(Perm.ACCEPT_REPORTS)
def review(request: HttpRequest) -> HttpResponse:
    """The period's approved reports waiting for acceptance, each unit's punctuality and
    the problems marked for coordination."""
    periods = selectors.period_list(user=request.user)
    period = _chosen_period(request, periods)
    user = request.user
    counts = selectors.unit_counts(user=user, period=period)
    coordination = selectors.coordination_list(user=user, period=period)
    coordination_rows = list(coordination[: COORDINATION_SHOWN + 1])
    context = {
        "nav_section": "review",
        **_period_context(request, period, periods),
        **_page(request, selectors.review_queue(user=user, period=period)),
        "counts_table": unit_count_table(counts),
        "totals": {
            key: sum(r[key] for r in counts)
            for key in ("projects", "reported", "missing", "late", "accepted", "waiting")
        },
        "coordination_table": coordination_table(
            coordination_rows[:COORDINATION_SHOWN],
            can_issue=has_perm(user, Perm.MANAGE_ITEMS),
        ),
        "coordination_more": len(coordination_rows) > COORDINATION_SHOWN,
        "can_import_projects": has_perm(user, Perm.MANAGE_PROJECTS),
    }
    context["queue_table"] = queue_table(context["page_obj"], csrf_token=get_token(request))
    return render(request, "projects/reporting_review.html", context)
