"""Organisation pages: units, unit classes, leaders, user accounts and roles.

Thin views: parse the request, call one selector or service, render. What a user may see
comes from the selectors (``orgs.selectors``), what they may do from ``perm_required`` and
the services, which check again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from luoshi.core.decorators import perm_required
from luoshi.core.errors import DomainError, apply_to_form
from luoshi.core.permissions import Perm, has_perm, unit_scope
from luoshi.orgs import selectors, services
from luoshi.orgs.choices import Role
from luoshi.orgs.forms import (
    ACTIVE_CHOICES,
    LeaderForm,
    PasswordSetForm,
    RolesForm,
    UnitClassForm,
    UnitForm,
    UserCreateForm,
    UserForm,
    parse_bool,
    parse_id,
)
from luoshi.orgs.models import Leader, UnitClass
from luoshi.orgs.tables import unit_table

PAGE_SIZE = 50


def _page(
    request: HttpRequest, qs: QuerySet | None = None, page: Page | None = None
) -> dict[str, Any]:
    """The page asked for (cut from ``qs`` unless given) and the query string that keeps
    the filters when paging."""
    if page is None:
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return {"page_obj": page, "querystring_without_page": f"{encoded}&" if encoded else ""}


def _data(request: HttpRequest) -> Any:
    """The submitted data on POST (even when empty: no ticked box is an answer), else None."""
    return request.POST if request.method == "POST" else None


def _invalid(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, context, status=400 if request.method == "POST" else 200)


def _or_404(obj: Any) -> Any:
    if obj is None:
        raise Http404
    return obj


# ---------------------------------------------------------------------------------------
# Units


def _parent_chip(request: HttpRequest, parent_id: int | None) -> tuple[int, str] | None:
    """The parent filter is reached from the sub-unit counts (and the unit page) and shown
    as a chip; a drop-down of every parent unit would not scale to a province."""
    if not parent_id:
        return None
    unit = selectors.unit_get(user=request.user, pk=parent_id)
    return (unit.pk, unit.name) if unit else None


@perm_required(Perm.VIEW_UNITS)
def unit_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    filters = {
        "q": g.get("q", ""),
        "unit_class_id": parse_id(g.get("unit_class")),
        "is_active": parse_bool(g.get("active")),
        "parent_id": parse_id(g.get("parent")),
    }
    page = selectors.unit_rows_page(
        user=request.user, page=g.get("page"), per_page=PAGE_SIZE, **filters
    )
    context = {
        "nav_section": "units",
        "filters": filters,
        "unit_classes": selectors.unit_class_list(user=request.user),
        "parent_chip": _parent_chip(request, filters["parent_id"]),
        "active_choices": ACTIVE_CHOICES,
        "active_value": g.get("active", ""),
        "can_manage": has_perm(request.user, Perm.MANAGE_ORG),
        **_page(request, page=page),
    }
    context["table"] = unit_table(
        context["page_obj"], filtered=bool(context["querystring_without_page"])
    )
    return render(request, "orgs/unit_list.html", context)


@perm_required(Perm.VIEW_UNITS)
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _or_404(selectors.unit_get(user=request.user, pk=pk))
    can_view_users = has_perm(request.user, Perm.VIEW_USERS)
    scope = unit_scope(request.user)
    context = {
        "nav_section": "units",
        "unit": unit,
        "parent_visible": unit.parent_id is not None and scope.allows(unit.parent_id),
        # A user scoped to their own unit does not see its sub-units: say nothing rather
        # than a false "no sub-units".
        "children_complete": scope.all_units,
        "children": selectors.unit_children(user=request.user, unit=unit),
        "can_view_users": can_view_users,
        "unit_users": selectors.unit_users(user=request.user, unit=unit) if can_view_users else [],
        "can_manage": has_perm(request.user, Perm.MANAGE_ORG),
    }
    return render(request, "orgs/unit_detail.html", context)


def _unit_form(request: HttpRequest, unit: Any = None) -> UnitForm:
    return UnitForm(
        _data(request),
        initial=UnitForm.initial_of(unit) if unit else None,
        unit_classes=selectors.unit_class_list(user=request.user),
        parents=selectors.unit_choice_list(user=request.user),
        unit=unit,
    )


@perm_required(Perm.MANAGE_ORG)
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest) -> HttpResponse:
    form = _unit_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=request.user, data=form.cleaned_data)
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("Unit “%(name)s” created.") % {"name": unit.name})
            return redirect("orgs:unit_detail", pk=unit.pk)
    return _invalid(request, "orgs/unit_form.html", {"nav_section": "units", "form": form})


@perm_required(Perm.MANAGE_ORG)
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _or_404(selectors.unit_get(user=request.user, pk=pk))
    form = _unit_form(request, unit)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_update(actor=request.user, unit=unit, data=form.cleaned_data)
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("Unit “%(name)s” saved.") % {"name": unit.name})
            return redirect("orgs:unit_detail", pk=unit.pk)
    context = {"nav_section": "units", "form": form, "unit": unit}
    return _invalid(request, "orgs/unit_form.html", context)


# ---------------------------------------------------------------------------------------
# Unit classes


@perm_required(Perm.MANAGE_ORG)
def unitclass_list(request: HttpRequest) -> HttpResponse:
    context = {
        "nav_section": "unitclasses",
        "unit_classes": selectors.unit_class_list_with_counts(user=request.user),
    }
    return render(request, "orgs/unitclass_list.html", context)


@perm_required(Perm.MANAGE_ORG)
@require_http_methods(["GET", "POST"])
def unitclass_create(request: HttpRequest) -> HttpResponse:
    form = UnitClassForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.unit_class_create(actor=request.user, data=form.cleaned_data)
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("Unit class “%(name)s” created.") % {"name": obj.name})
            return redirect("orgs:unitclass_list")
    return _invalid(
        request, "orgs/unitclass_form.html", {"nav_section": "unitclasses", "form": form}
    )


def _unit_class_or_404(request: HttpRequest, pk: int) -> UnitClass:
    return _or_404(selectors.unit_class_list_with_counts(user=request.user).filter(pk=pk).first())


@perm_required(Perm.MANAGE_ORG)
@require_http_methods(["GET", "POST"])
def unitclass_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _unit_class_or_404(request, pk)
    initial = {f: getattr(obj, f) for f in ("code", "name", "kind", "order")}
    form = UnitClassForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.unit_class_update(
                actor=request.user, unit_class=obj, data=form.cleaned_data
            )
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("Unit class “%(name)s” saved.") % {"name": obj.name})
            return redirect("orgs:unitclass_list")
    context = {"nav_section": "unitclasses", "form": form, "unit_class": obj}
    return _invalid(request, "orgs/unitclass_form.html", context)


@perm_required(Perm.MANAGE_ORG)
@require_POST
def unitclass_delete(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _unit_class_or_404(request, pk)
    try:
        services.unit_class_delete(actor=request.user, unit_class=obj)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("orgs:unitclass_edit", pk=obj.pk)
    messages.success(request, _("Unit class “%(name)s” deleted.") % {"name": obj.name})
    return redirect("orgs:unitclass_list")


# ---------------------------------------------------------------------------------------
# Leaders


@perm_required(Perm.MANAGE_ORG)
def leader_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    is_active = parse_bool(request.GET.get("active"))
    qs = selectors.leader_list_with_accounts(user=request.user, q=q, is_active=is_active)
    context = {
        "nav_section": "leaders",
        "q": q,
        "active_choices": ACTIVE_CHOICES,
        "active_value": request.GET.get("active", ""),
        **_page(request, qs),
    }
    return render(request, "orgs/leader_list.html", context)


@perm_required(Perm.MANAGE_ORG)
@require_http_methods(["GET", "POST"])
def leader_create(request: HttpRequest) -> HttpResponse:
    form = LeaderForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            leader = services.leader_create(actor=request.user, data=form.cleaned_data)
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("Leader %(leader)s created.") % {"leader": leader})
            return redirect("orgs:leader_list")
    return _invalid(request, "orgs/leader_form.html", {"nav_section": "leaders", "form": form})


@perm_required(Perm.MANAGE_ORG)
@require_http_methods(["GET", "POST"])
def leader_edit(request: HttpRequest, pk: int) -> HttpResponse:
    leader: Leader = _or_404(selectors.leader_get(user=request.user, pk=pk))
    form = LeaderForm(_data(request), initial=LeaderForm.initial_of(leader))
    if request.method == "POST" and form.is_valid():
        try:
            leader = services.leader_update(
                actor=request.user, leader=leader, data=form.cleaned_data
            )
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("Leader %(leader)s saved.") % {"leader": leader})
            return redirect("orgs:leader_list")
    context = {"nav_section": "leaders", "form": form, "leader": leader}
    return _invalid(request, "orgs/leader_form.html", context)


# ---------------------------------------------------------------------------------------
# User accounts


def _user_filters(request: HttpRequest) -> dict[str, Any]:
    g = request.GET
    role = g.get("role", "")
    return {
        "q": g.get("q", ""),
        "unit_id": parse_id(g.get("unit")),
        "role": role if role in Role.values else "",
        "is_active": parse_bool(g.get("active")),
        "locked": parse_bool(g.get("locked")),
        "unit_q": g.get("unit_q", ""),
    }


UNIT_SELECT_MAX = 300


def _unit_filter(request: HttpRequest, unit_id: int | None) -> dict[str, Any]:
    """A drop-down of units for a county; at province scale (thousands of units) a text
    box on the unit's name or code instead, and the chosen unit (from a link) as a chip."""
    units = list(selectors.unit_choice_list(user=request.user)[: UNIT_SELECT_MAX + 1])
    if len(units) <= UNIT_SELECT_MAX:
        return {"units": units, "unit_chip": None}
    chip = selectors.unit_get(user=request.user, pk=unit_id) if unit_id else None
    return {"units": None, "unit_chip": chip}


def _user_list_context(request: HttpRequest, section: str) -> dict[str, Any]:
    g = request.GET
    filters = _user_filters(request)
    qs = selectors.user_search(user=request.user, **filters)
    return {
        "nav_section": section,
        "filters": filters,
        **_unit_filter(request, filters["unit_id"]),
        "role_choices": Role.choices,
        "active_choices": ACTIVE_CHOICES,
        "active_value": g.get("active", ""),
        "locked_value": g.get("locked", ""),
        "can_manage": has_perm(request.user, Perm.MANAGE_USERS),
        "can_assign": has_perm(request.user, Perm.ASSIGN_ROLES),
        "can_unlock": has_perm(request.user, Perm.UNLOCK_USERS),
        **_page(request, qs),
    }


@perm_required(Perm.VIEW_USERS)
def user_list(request: HttpRequest) -> HttpResponse:
    return render(request, "orgs/user_list.html", _user_list_context(request, "users"))


def _user_form_kwargs(request: HttpRequest) -> dict[str, Any]:
    return {
        "units": selectors.unit_choice_list(user=request.user),
        "leaders": selectors.leader_list(user=request.user),
    }


@perm_required(Perm.MANAGE_USERS)
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(_data(request), **_user_form_kwargs(request))
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in UserForm.base_fields}
        try:
            user = services.user_create(
                actor=request.user, data=data, password=form.cleaned_data["password1"]
            )
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Account “%(username)s” created. The user must change the initial password "
                    "at the first sign-in. Roles are granted by the security administrator."
                )
                % {"username": user.username},
            )
            return redirect("orgs:user_edit", pk=user.pk)
    return _invalid(request, "orgs/user_form.html", {"nav_section": "users", "form": form})


@perm_required(Perm.MANAGE_USERS)
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = _or_404(selectors.user_get(user=request.user, pk=pk))
    form = UserForm(
        _data(request), initial=UserForm.initial_of(account), **_user_form_kwargs(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            account = services.user_update(actor=request.user, user=account, data=form.cleaned_data)
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(
                request, _("Account “%(username)s” saved.") % {"username": account.username}
            )
            return redirect("orgs:user_list")
    context = {"nav_section": "users", "form": form, "account": account}
    return _invalid(request, "orgs/user_form.html", context)


@perm_required(Perm.MANAGE_USERS)
@require_http_methods(["GET", "POST"])
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    account = _or_404(selectors.user_get(user=request.user, pk=pk))
    form = PasswordSetForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.user_reset_password(
                actor=request.user, user=account, password=form.cleaned_data["password1"]
            )
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(
                request,
                _(
                    "New initial password set for “%(username)s”. Give it to the user in person; "
                    "they must change it at the next sign-in."
                )
                % {"username": account.username},
            )
            return redirect("orgs:user_edit", pk=account.pk)
    context = {"nav_section": "users", "form": form, "account": account}
    return _invalid(request, "orgs/user_password.html", context)


@perm_required(Perm.UNLOCK_USERS)
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    account = _or_404(selectors.user_get(user=request.user, pk=pk))
    try:
        services.user_unlock(actor=request.user, user=account)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("Account “%(username)s” unlocked.") % {"username": account.username}
        )
    return redirect("orgs:role_edit", pk=account.pk)


# ---------------------------------------------------------------------------------------
# Roles


@perm_required(Perm.ASSIGN_ROLES)
def role_list(request: HttpRequest) -> HttpResponse:
    return render(request, "orgs/role_list.html", _user_list_context(request, "roles"))


@perm_required(Perm.ASSIGN_ROLES)
@require_http_methods(["GET", "POST"])
def role_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = _or_404(selectors.user_get(user=request.user, pk=pk))
    form = RolesForm(_data(request), initial={"roles": sorted(account.role_set)})
    if request.method == "POST" and form.is_valid():
        try:
            services.roles_set(actor=request.user, user=account, roles=form.cleaned_data["roles"])
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(
                request, _("Roles of “%(username)s” saved.") % {"username": account.username}
            )
            return redirect("orgs:role_list")
    context = {
        "nav_section": "roles",
        "form": form,
        "account": account,
        "is_self": account.pk == request.user.pk,
        "can_unlock": has_perm(request.user, Perm.UNLOCK_USERS),
    }
    return _invalid(request, "orgs/role_form.html", context)
