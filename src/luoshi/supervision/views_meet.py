"""Meetings (会议), issuing items (交办), the ledger (督办台账), the overdue list, a unit's
inbox and a leader's list.

Thin views: parse the request, call ``selectors_lists`` or one service, render. What a user
may see comes from ``scope.visible_items``; lamps from one ``Today`` per request.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from luoshi.core.errors import DomainError, apply_to_form
from luoshi.core.permissions import Perm, has_perm
from luoshi.core.tables import Column, esc, link, options, render_table
from luoshi.orgs.forms import parse_id
from luoshi.orgs.models import Unit
from luoshi.projects import unit_picker
from luoshi.projects.models import MonthlyReport
from luoshi.projects.report_content import local_today
from luoshi.supervision import selectors_lists as sel
from luoshi.supervision import services
from luoshi.supervision.choices import (
    ItemLamp,
    ItemSource,
    ItemStatus,
    MeetingKind,
    Priority,
    status_label,
)
from luoshi.supervision.forms_meet import DecisionForm, IssueForm, MeetingForm, use_unit_picker
from luoshi.supervision.models import Decision, Item, Meeting
from luoshi.supervision.selectors import Today, today_rules
from luoshi.supervision.services_issue import items_issue

PAGE_SIZE = 50
MEETINGS_PAGE_SIZE = 30


def _only(check: Callable[[Any], bool]) -> Callable:
    """Signed-in users passing ``check`` reach the page; others get 403 (anonymous: login)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _office(user: Any) -> bool:
    return has_perm(user, Perm.MANAGE_ITEMS)


def _unit(user: Any) -> bool:
    return has_perm(user, Perm.HANDLE_ITEMS) and bool(user.unit_id)


county_only = _only(sel.county_wide)
office_only = _only(_office)


def _querystring(request: HttpRequest, *drop: str) -> str:
    params = request.GET.copy()
    for key in ("page", *drop):
        params.pop(key, None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""


def _choice(value: str | None, allowed: Iterable[str]) -> str:
    return value if value in set(allowed) else ""


# --------------------------------------------------------------------------- item tables

LAMP_CSS = {ItemLamp.DONE: "grey"}


def lamp_cell(today: Today, item: Any, labels: dict[str, str] | None = None) -> SafeString:
    lamp, reason = today.lamp_and_reason(item)
    label = labels[lamp] if labels else ItemLamp(lamp).label
    css = LAMP_CSS.get(lamp, lamp)
    return mark_safe(
        f'<span class="lamp lamp-{css}">{conditional_escape(label)}</span>'
        f'<br><span class="small muted">{conditional_escape(reason)}</span>'
    )


def _unit_name(item: Item) -> str:
    return item.lead_unit.short_name or item.lead_unit.name


def item_table(
    rows: Iterable[sel.ItemRow],
    today: Today,
    *,
    for_unit: bool = False,
    empty: Any = None,
    decision_number: bool = False,
) -> SafeString:
    base = reverse("supervision:item_detail", args=[0])[:-2]
    # Each label translated once per table, not once per row.
    sources = {k: str(v) for k, v in ItemSource.choices}
    statuses = {k: status_label(k, for_unit=for_unit) for k in ItemStatus.values}
    lamps = {k: str(v) for k, v in ItemLamp.choices}
    columns = []
    if decision_number:
        columns.append(Column(pgettext("meeting", "Decision"), lambda i: i.decision_number, "num"))
    columns += [
        Column(_("Item number"), lambda i: link(f"{base}{i.pk}/", i.code), "nowrap"),
        Column(_("Item title"), lambda i: link(f"{base}{i.pk}/", i.title)),
        Column(_("Source"), lambda i: sources.get(i.source, i.source), "hide-narrow"),
        Column(_("Lead unit"), lambda i: i.lead_unit_short_name or i.lead_unit_name),
        Column(_("Responsible leader"), lambda i: i.leader_name or "", "hide-narrow"),
        Column(_("Deadline"), lambda i: i.deadline.isoformat(), "nowrap"),
        Column(_("Status"), lambda i: statuses.get(i.status, i.status), "nowrap"),
        Column(_("Lamp"), lambda i: lamp_cell(today, i, lamps)),
    ]
    return render_table(columns, rows, empty=empty or _("No item."))


# --------------------------------------------------------------------------- meetings


@county_only
def meeting_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    year = parse_id(g.get("year"))
    filters = {
        "kind": _choice(g.get("kind"), MeetingKind.values),
        "year": year if year and 2000 <= year <= 2100 else None,
        "q": g.get("q", "")[:100],
    }
    page = sel.paginate(sel.meeting_list(**filters), g.get("page"), MEETINGS_PAGE_SIZE)
    base = reverse("supervision:meeting_detail", args=[0])[:-2]
    kinds = dict(MeetingKind.choices)
    table = render_table(
        [
            Column(_("Date"), lambda m: m.held_on.isoformat(), "nowrap"),
            Column(_("Meeting type"), lambda m: kinds.get(m.kind, m.kind), "nowrap"),
            Column(_("Meeting title"), lambda m: link(f"{base}{m.pk}/", m.title)),
            Column(_("Presider"), lambda m: m.presider.name if m.presider else "", "hide-narrow"),
            Column(_("Place"), lambda m: m.place, "hide-narrow"),
            Column(_("Decisions"), lambda m: m.n_decisions, "num"),
            Column(_("Items issued"), lambda m: m.n_items, "num"),
        ],
        page,
        empty=_("No meeting matches.") if any(filters.values()) else _("No meeting yet."),
    )
    return render(
        request,
        "supervision/meeting_list.html",
        {
            "nav_section": "meetings",
            "filters": filters,
            "kinds": MeetingKind.choices,
            "years": sel.meeting_years(),
            "page_obj": page,
            "table": table,
            "can_manage": _office(request.user),
            "querystring_without_page": _querystring(request),
        },
    )


def _unit_picker_url() -> str | None:
    """The unit search for a province's units; a county's stay a plain select."""
    large = unit_picker.is_large(Unit.objects.filter(is_active=True))
    return reverse("supervision:unit_pick") if large else None


def _meeting_or_404(pk: int) -> Meeting:
    meeting = sel.meeting_get(pk)
    if meeting is None:
        raise Http404
    return meeting


def _meeting_form_page(
    request: HttpRequest, meeting: Meeting | None, initial: dict[str, Any]
) -> HttpResponse:
    form = MeetingForm(request.POST or None, initial=initial)
    use_unit_picker(form, _unit_picker_url(), ("attending_units",))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_save(
                actor=request.user, data=dict(form.cleaned_data), meeting=meeting
            )
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("Meeting saved."))
            return redirect("supervision:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "supervision/meeting_form.html",
        {"nav_section": "meetings", "form": form, "meeting": meeting},
        status=400 if form.errors else 200,
    )


@office_only
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    return _meeting_form_page(request, None, {"kind": MeetingKind.STANDING})


@office_only
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(pk)
    leaders, units = sel.meeting_attendance(meeting)
    initial = {
        "kind": meeting.kind,
        "title": meeting.title,
        "held_on": meeting.held_on,
        "place": meeting.place,
        "presider": meeting.presider_id,
        "attending_leaders": [x.pk for x in leaders],
        "attending_units": [u.pk for u in units],
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
    }
    return _meeting_form_page(request, meeting, initial)


_EMPTY_FORMS: dict[str, SafeString] = {}


def _empty_decision_form() -> SafeString:
    language = get_language()
    if language not in _EMPTY_FORMS:
        _EMPTY_FORMS[language] = render_to_string("includes/form.html", {"form": DecisionForm()})
    return _EMPTY_FORMS[language]


_SLOT = 987654321  # stands for a decision's id in a reversed address


def _decision_rows(
    request: HttpRequest, meeting: Meeting, decisions: list[Any], can_manage: bool
) -> SafeString:
    """The decisions' table rows, joined in Python: a row's links, buttons and forms
    through the template engine cost as much as the rest of the meeting page."""
    ledger = f"{reverse('supervision:ledger')}?meeting={meeting.pk}"
    issue = reverse("supervision:item_issue")
    edit = reverse("supervision:decision_edit", args=[meeting.pk, _SLOT])
    delete = reverse("supervision:decision_delete", args=[meeting.pk, _SLOT])
    if can_manage:
        token = esc(get_token(request))
        issue_label, edit_label = esc(_("Issue as item")), esc(_("Edit"))
        delete_label, confirm = esc(_("Delete")), esc(_("Delete this decision?"))
    rows = []
    for d in decisions:
        n = f'<a href="{esc(ledger)}">{d.n_items}</a>' if d.n_items else "0"
        cells = [
            f'<td class="num">{d.number}</td>',
            f'<td class="pre-line">{esc(d.content)}</td>',
            f'<td class="num">{n}</td>',
        ]
        if can_manage:
            edit_url = esc(edit.replace(str(_SLOT), str(d.pk)))
            actions = (
                f'<a class="btn btn-small btn-primary" href="{esc(issue)}?decision={d.pk}">'
                f"{issue_label}</a> "
                f'<a class="btn btn-small" href="{edit_url}" hx-get="{edit_url}" '
                f'hx-target="#decision-{d.pk}" hx-swap="outerHTML">{edit_label}</a>'
            )
            if not d.n_items:
                delete_url = esc(delete.replace(str(_SLOT), str(d.pk)))
                actions += (
                    f' <form method="post" class="inline" action="{delete_url}" '
                    f'hx-post="{delete_url}" hx-target="#decisions" hx-swap="outerHTML" '
                    f'hx-confirm="{confirm}"><input type="hidden" name="csrfmiddlewaretoken" '
                    f'value="{token}"><button type="submit" class="btn btn-small btn-danger">'
                    f"{delete_label}</button></form>"
                )
            cells.append(f'<td class="nowrap">{actions}</td>')
        rows.append(f'<tr id="decision-{d.pk}">{"".join(cells)}</tr>')
    return mark_safe("".join(rows))  # every value escaped above


def _decisions_context(
    request: HttpRequest, meeting: Meeting, form: DecisionForm | None = None
) -> dict[str, Any]:
    decisions = sel.meeting_decisions(meeting)
    can_manage = _office(request.user)
    return {
        "meeting": meeting,
        "decisions": decisions,
        "decision_rows": _decision_rows(request, meeting, decisions, can_manage),
        "decision_form": form or DecisionForm(),
        # The empty form is the same HTML every time (per language): rendered once.
        "decision_form_html": None if form is not None else _empty_decision_form(),
        "can_manage": can_manage,
    }


@county_only
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(pk)
    leaders, units = sel.meeting_attendance(meeting)
    today = today_rules()
    decisions_context = _decisions_context(request, meeting)
    decisions = decisions_context["decisions"]
    decision_ids = [d.pk for d in decisions]
    page = sel.meeting_items_page(
        user=request.user, decisions=decisions, page=request.GET.get("page"), per_page=PAGE_SIZE
    )
    lamps = sel.meeting_lamp_counts(user=request.user, today=today, decision_ids=decision_ids)
    context = {
        "nav_section": "meetings",
        "kind_label": MeetingKind(meeting.kind).label,
        "leaders": leaders,
        "units": units,
        "items_table": item_table(
            page,
            today,
            decision_number=True,
            empty=_("No item has been issued from this meeting's decisions yet."),
        ),
        "n_items": page.paginator.count,
        "page_obj": page,
        "querystring_without_page": "",
        "lamp_counts": [
            {"value": LAMP_CSS.get(v, v), "label": ItemLamp(v).label, "n": lamps[v]}
            for v in ItemLamp.values
        ],
        **decisions_context,
    }
    return render(request, "supervision/meeting_detail.html", context)


def _decisions_response(
    request: HttpRequest, meeting: Meeting, form: DecisionForm | None = None
) -> HttpResponse:
    if request.htmx:
        # htmx swaps only 2xx answers: a refused form comes back as 200 with its errors.
        response = render(
            request,
            "supervision/meeting_decisions.html",
            _decisions_context(request, meeting, form),
        )
        response["HX-Retarget"] = "#decisions"
        return response
    if form is not None and form.errors:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect(reverse("supervision:meeting_detail", args=[meeting.pk]) + "#decisions")


@office_only
@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decision_save(
                actor=request.user, meeting=meeting, content=form.cleaned_data["content"]
            )
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            return _decisions_response(request, meeting)
    return _decisions_response(request, meeting, form)


def _decision_or_404(pk: int, decision_id: int) -> Decision:
    decision = sel.decision_get(decision_id)
    if decision is None or decision.meeting_id != pk:
        raise Http404
    return decision


@office_only
@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, pk: int, decision_id: int) -> HttpResponse:
    decision = _decision_or_404(pk, decision_id)
    form = DecisionForm(request.POST or None, initial={"content": decision.content})
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_save(
                actor=request.user,
                meeting=decision.meeting,
                content=form.cleaned_data["content"],
                decision=decision,
            )
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            return _decisions_response(request, decision.meeting)
    template = (
        "supervision/meeting_decision_edit.html"
        if request.htmx
        else "supervision/meeting_decision_page.html"
    )
    return render(
        request,
        template,
        {"nav_section": "meetings", "decision": decision, "form": form},
        status=400 if form.errors and not request.htmx else 200,
    )


@office_only
@require_POST
def decision_delete(request: HttpRequest, pk: int, decision_id: int) -> HttpResponse:
    decision = _decision_or_404(pk, decision_id)
    meeting = decision.meeting
    try:
        services.decision_delete(actor=request.user, decision=decision)
    except DomainError as exc:
        if not request.htmx:
            messages.error(request, exc.message)
            return _decisions_response(request, meeting)
        context = _decisions_context(request, meeting)
        context["decision_error"] = exc.message
        return render(request, "supervision/meeting_decisions.html", context)
    return _decisions_response(request, meeting)


# --------------------------------------------------------------------------- issuing


def _issue_origin(request: HttpRequest) -> dict[str, Any]:
    """Where the item comes from: a meeting decision (?decision=) or a monthly report's
    problem marked for coordination (?report=)."""
    params = request.POST if request.method == "POST" else request.GET
    decision_id = parse_id(params.get("decision"))
    report_id = parse_id(params.get("report"))
    if decision_id:
        decision = sel.decision_get(decision_id)
        if decision is None:
            raise Http404
        return {"decision": decision}
    if report_id:
        report = (
            MonthlyReport.objects.select_related("project", "unit", "period")
            .filter(pk=report_id)
            .first()
        )
        if report is None:
            raise Http404
        return {"report": report}
    return {}


# How minutes open a decision; not part of what is to be done.
_LEAD_INS = re.compile(r"^(会议)?(研究了|研究|决定|要求|同意|指出|强调|明确|议定)[：:，,]?")
_SENTENCE_END = re.compile(r"[。；;！!？?\n]")


def decision_title(content: str) -> str:
    """The item title the form suggests: the decision's first sentence without "会议研究了"
    (the office edits it; the whole decision goes into the content)."""
    text = content.strip()
    first = _SENTENCE_END.split(text, maxsplit=1)[0].strip() if text else ""
    return (_LEAD_INS.sub("", first).strip() or first)[:60]


def _issue_initial(origin: dict[str, Any]) -> dict[str, Any]:
    initial: dict[str, Any] = {"priority": Priority.NORMAL}
    if decision := origin.get("decision"):
        initial.update(
            {
                "title": decision_title(decision.content),
                "content": decision.content,
                "responsible_leader": decision.meeting.presider_id,
            }
        )
    elif report := origin.get("report"):
        content = report.problems
        if report.help_needed:
            content += "\n" + _("Help needed: %(text)s") % {"text": report.help_needed}
        initial.update(
            {
                "source": ItemSource.PROJECT,
                "title": (_("Coordinate: %(project)s") % {"project": report.project.name})[:200],
                "content": content.strip(),
                "lead_units": [report.unit_id],
            }
        )
    else:
        initial["source"] = ItemSource.ASSIGNMENT
    return initial


def _origin_data(origin: dict[str, Any]) -> dict[str, Any]:
    if decision := origin.get("decision"):
        return {"source": ItemSource.MEETING, "decision": decision}
    if report := origin.get("report"):
        return {"project": report.project, "report": report}
    return {}


def _computed_deadline(form: IssueForm) -> tuple[Any, str]:
    """The deadline the service will set, or why there is none (for the preview)."""
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    try:
        deadline = services.deadline_from(
            issued_on=local_today(),
            deadline=data.get("deadline"),
            working_days=data.get("deadline_working_days"),
        )
    except DomainError as exc:
        return "", str(exc.message)
    return deadline, ""


@office_only
@require_http_methods(["GET", "POST"])
def item_issue(request: HttpRequest) -> HttpResponse:
    origin = _issue_origin(request)
    from_decision = "decision" in origin
    form = IssueForm(
        request.POST or None, initial=_issue_initial(origin), from_decision=from_decision
    )
    use_unit_picker(form, _unit_picker_url(), ("lead_units", "cooperating_units"))
    if request.method == "POST" and form.is_valid():
        data = {**form.service_data(), **_origin_data(origin)}
        if origin.get("report") and data["source"] != ItemSource.PROJECT:
            data.pop("project")
            data.pop("report")
        try:
            items = items_issue(
                actor=request.user, data=data, lead_units=list(form.cleaned_data["lead_units"])
            )
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            codes = "、".join(i.code for i in items)
            messages.success(
                request,
                _("Issued %(n)s item(s): %(codes)s; deadline %(deadline)s.")
                % {"n": len(items), "codes": codes, "deadline": items[0].deadline.isoformat()},
            )
            if from_decision:
                return redirect(
                    reverse("supervision:meeting_detail", args=[origin["decision"].meeting_id])
                    + "#progress"
                )
            if len(items) == 1:
                return redirect("supervision:item_detail", pk=items[0].pk)
            return redirect("supervision:ledger")
    deadline, deadline_error = ("", "")
    if form.is_bound and hasattr(form, "cleaned_data"):
        deadline, deadline_error = _computed_deadline(form)
    return render(
        request,
        "supervision/issue_form.html",
        {
            "nav_section": "ledger",
            "form": form,
            "origin": origin,
            "computed_deadline": deadline,
            "deadline_error": deadline_error if form.is_bound else "",
            "today": local_today(),
        },
        status=400 if form.errors else 200,
    )


@office_only
def issue_deadline(request: HttpRequest) -> HttpResponse:
    """The deadline a date or N working days gives, shown as the office types (htmx)."""
    g = request.GET
    days_text = g.get("deadline_working_days", "").strip()
    date_text = g.get("deadline", "").strip()
    form = IssueForm()
    deadline_field = form.fields["deadline"]
    try:
        deadline = deadline_field.clean(date_text) if date_text else None
    except ValidationError:
        deadline = None
        date_text = ""
    days: Any = days_text or None
    context: dict[str, Any] = {"computed_deadline": "", "deadline_error": ""}
    if deadline is None and days is None and not date_text:
        return render(request, "supervision/issue_deadline.html", context)
    try:
        result = services.deadline_from(
            issued_on=local_today(), deadline=deadline, working_days=days
        )
    except DomainError as exc:
        context["deadline_error"] = str(exc.message)
    else:
        context["computed_deadline"] = result
    return render(request, "supervision/issue_deadline.html", context)


# --------------------------------------------------------------------------- the ledger


def _options(choices: Iterable[tuple[int, str]], selected: int | None) -> SafeString:
    """A drop-down's options joined in Python (``core.tables.options``): hundreds of
    meetings and leaders through the template engine's loop cost more than the rest of the
    ledger."""
    return options(choices, selected)


def _ledger_filters(request: HttpRequest) -> sel.LedgerFilters:
    g = request.GET
    # The ledger opens on the items still to be done: a year's closed items would fill
    # its first pages. "All states" is an explicit empty choice, so it is kept.
    status = g["status"] if "status" in g else "open"
    return sel.LedgerFilters(
        status=_choice(status, ["open", *ItemStatus.values]),
        lamp=_choice(g.get("lamp"), ItemLamp.values),
        source=_choice(g.get("source"), ItemSource.values),
        unit_id=parse_id(g.get("unit")),
        leader_id=parse_id(g.get("leader")),
        meeting_id=parse_id(g.get("meeting")),
        overdue=g.get("overdue") == "1",
        q=g.get("q", "").strip()[:100],
    )


@county_only
def ledger(request: HttpRequest) -> HttpResponse:
    today = today_rules()
    filters = _ledger_filters(request)
    user = request.user
    counts = sel.lamp_counts(user=user, today=today, filters=filters)
    page = sel.ledger_page(
        user=user,
        today=today,
        filters=filters,
        page=request.GET.get("page"),
        per_page=PAGE_SIZE,
        lamp_counts=counts,
    )
    params = request.GET.copy()
    params.pop("page", None)
    lamp_links = []
    for value, label in ItemLamp.choices:
        params["lamp"] = value
        lamp_links.append(
            {
                "value": value,
                "css": LAMP_CSS.get(value, value),
                "label": label,
                "n": counts[value],
                "qs": params.urlencode(),
            }
        )
    export_qs = request.GET.copy()
    export_qs.pop("page", None)
    export_qs["status"] = filters.status  # the export lists what the page lists
    filtered = any(dataclasses.astuple(filters))
    units = sel.unit_choices()
    return render(
        request,
        "supervision/ledger.html",
        {
            "nav_section": "ledger",
            "filters": filters,
            "statuses": [("open", _("Open (not closed)")), *ItemStatus.choices],
            "lamps": ItemLamp.choices,
            "sources": ItemSource.choices,
            "units": units,
            "unit_options": _options(units or [], filters.unit_id),
            "leader_options": _options(sel.leader_choices(), filters.leader_id),
            "meeting_options": _options(sel.meeting_choices(), filters.meeting_id),
            "lamp_links": lamp_links,
            "page_obj": page,
            "table": item_table(
                page, today, empty=_("No item matches.") if filtered else _("No item yet.")
            ),
            "can_manage": _office(user),
            "export_url": reverse("supervision:ledger_export")
            + (f"?{export_qs.urlencode()}" if export_qs else ""),
            "querystring_without_page": _querystring(request),
            "today": today.cutoffs.today,
        },
    )


# --------------------------------------------------------------------------- overdue

OVERDUE_KINDS = ("handling", "acceptance")


def _group_rows(rows: list[dict[str, Any]]) -> SafeString:
    """A group's rows joined in Python (90 rows through the template loop cost as much as
    the item table)."""
    cells = []
    for r in rows:
        label = conditional_escape(r["label"])
        name = (
            f"<strong>{label}</strong>"
            if r["current"]
            else f'<a href="?{conditional_escape(r["qs"])}">{label}</a>'
        )
        cells.append(f'<tr><td>{name}</td><td class="num">{int(r["n"])}</td></tr>')
    return mark_safe("".join(cells))


@office_only
def overdue(request: HttpRequest) -> HttpResponse:
    g = request.GET
    today = today_rules()
    kind = _choice(g.get("kind"), OVERDUE_KINDS) or "handling"
    unit_id = parse_id(g.get("unit"))
    leader: int | str | None = "none" if g.get("leader") == "none" else parse_id(g.get("leader"))
    source = _choice(g.get("source"), ItemSource.values)
    counted = sel.overdue_groups(user=request.user, today=today, kind=kind)
    page = sel.overdue_page(
        user=request.user,
        today=today,
        kind=kind,
        unit_id=unit_id,
        leader=leader,
        source=source,
        page=g.get("page"),
        per_page=PAGE_SIZE,
        total=counted["total"],
    )
    chosen = {"unit": unit_id, "leader": leader, "source": source}
    groups = []
    for by, title in (
        ("unit", _("By lead unit")),
        ("leader", _("By responsible leader")),
        ("source", _("By source")),
    ):
        rows = counted[by]
        for r in rows:
            params = {"kind": kind, by: r["key"]}
            r["qs"] = "&".join(f"{k}={v}" for k, v in params.items())
            r["current"] = chosen[by] is not None and str(chosen[by]) == str(r["key"])
            r["label"] = r["name"] or (
                _("No responsible leader") if by == "leader" else _("Unknown")
            )
        groups.append({"by": by, "title": title, "rows": rows, "rows_html": _group_rows(rows)})
    return render(
        request,
        "supervision/overdue.html",
        {
            "nav_section": "overdue",
            "kind": kind,
            "kinds": [
                ("handling", _("Handling overdue")),
                ("acceptance", _("Acceptance overdue")),
            ],
            "groups": groups,
            "groups_shown": sel.GROUPS_SHOWN,
            "filtered": bool(unit_id or leader or source),
            "page_obj": page,
            "table": item_table(page, today, empty=_("No overdue item.")),
            "querystring_without_page": _querystring(request),
            "today": today.cutoffs.today,
        },
    )


# --------------------------------------------------------------------------- a unit's inbox


@_only(_unit)
def inbox(request: HttpRequest) -> HttpResponse:
    tab = _choice(request.GET.get("tab"), sel.INBOX_TABS) or "accept"
    today = today_rules()
    counts = sel.inbox_counts(user=request.user, today=today)
    if "tab" not in request.GET and not counts["accept"]:
        tab = "doing"
    page = sel.inbox_page(
        user=request.user, tab=tab, page=request.GET.get("page"), per_page=PAGE_SIZE
    )
    labels = {
        "accept": _("To accept"),
        "doing": _("In progress"),
        "done": _("Awaiting verification / closed"),
    }
    empty = {
        "accept": _("Nothing to accept."),
        "doing": _("No item in progress."),
        "done": _("No item awaiting verification or closed."),
    }
    return render(
        request,
        "supervision/inbox.html",
        {
            "nav_section": "inbox",
            "tab": tab,
            "tabs": [{"key": k, "label": labels[k], "n": counts[k]} for k in sel.INBOX_TABS],
            "page_obj": page,
            "table": item_table(page, today, for_unit=True, empty=empty[tab]),
            "querystring_without_page": f"tab={tab}&",
        },
    )


# --------------------------------------------------------------------------- a leader's list


@_only(lambda u: sel.is_leader(u) and has_perm(u, Perm.VIEW_ITEMS))
def leader_items(request: HttpRequest) -> HttpResponse:
    today = today_rules()
    lamp = _choice(request.GET.get("lamp"), ItemLamp.values)
    page = sel.leader_items_page(
        user=request.user,
        today=today,
        lamp=lamp,
        page=request.GET.get("page"),
        per_page=PAGE_SIZE,
    )
    escalations = sel.leader_escalations(user=request.user)
    base = reverse("supervision:item_detail", args=[0])[:-2]
    escalation_table = render_table(
        [
            Column(_("Item number"), lambda e: link(f"{base}{e.item_id}/", e.item.code), "nowrap"),
            Column(_("Item title"), lambda e: link(f"{base}{e.item_id}/", e.item.title)),
            Column(_("Lead unit"), lambda e: _unit_name(e.item)),
            Column(_("Deadline"), lambda e: e.deadline.isoformat(), "nowrap"),
            Column(_("Days overdue when escalated"), lambda e: e.days_overdue, "num"),
            Column(
                _("Escalated on"),
                lambda e: localtime(e.escalated_at).date().isoformat(),
                "nowrap",
            ),
            Column(_("Status"), lambda e: status_label(e.item.status, for_unit=False), "nowrap"),
            Column(_("Lamp"), lambda e: lamp_cell(today, e.item)),
        ],
        escalations,
        empty=_("No overdue item has been escalated to you."),
    )
    return render(
        request,
        "supervision/leader_items.html",
        {
            "nav_section": "leader_items",
            "linked": bool(request.user.leader_id),
            "lamp": lamp,
            "lamps": [(v, LAMP_CSS.get(v, v), label) for v, label in ItemLamp.choices],
            "page_obj": page,
            "table": item_table(page, today, empty=_("No item is issued by or assigned to you.")),
            "escalation_table": escalation_table,
            "querystring_without_page": _querystring(request),
        },
    )
