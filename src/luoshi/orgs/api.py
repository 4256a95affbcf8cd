"""API of the organisation: the caller's own account and the units they may see.
Every handler reads through ``orgs.selectors``, so the API shows exactly what the pages show."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Path, Query, Router, Schema

from luoshi.core.api import (
    AUTH_RESPONSES,
    INPUT_RESPONSES,
    MAX_ID,
    ErrorOut,
    Id,
    PageParams,
    paginate,
)
from luoshi.core.permissions import Perm, perms_of, require
from luoshi.orgs import selectors
from luoshi.orgs.choices import Role, UnitKind

router = Router(tags=["organisation"])


class UnitRef(Schema):
    id: int
    code: str
    name: str


class UnitClassRef(Schema):
    id: int
    code: str
    name: str


class RoleOut(Schema):
    code: str
    label: str


class MeOut(Schema):
    username: str
    full_name: str
    unit: UnitRef | None
    roles: list[RoleOut]
    permissions: list[str]


class UnitClassOut(Schema):
    id: int
    code: str
    name: str
    kind: UnitKind
    kind_label: str
    order: int

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    unit_class: UnitClassRef
    parent: UnitRef | None
    is_active: bool
    order: int


class UnitPage(Schema):
    items: list[UnitOut]
    count: int
    page: int
    page_size: int


class UnitFilters(PageParams):
    q: str = Field("", max_length=100, description="Part of the name, short name or code.")
    unit_class: int | None = Field(None, ge=1, le=MAX_ID, description="Id of a unit class.")
    is_active: bool | None = Field(
        None, description="Only active (true) or inactive (false) units."
    )
    parent: int | None = Field(None, ge=1, le=MAX_ID, description="Id of the parent unit.")


@router.get("/me", response={200: MeOut, **AUTH_RESPONSES}, summary="The signed-in user")
def me(request: HttpRequest) -> dict[str, Any]:
    """Who the caller is: account, unit, roles and the capabilities they grant."""
    user = request.auth
    unit = user.unit
    return {
        "username": user.username,
        "full_name": user.full_name,
        "unit": unit,
        "roles": [
            {"code": value, "label": str(label)}
            for value, label in Role.choices
            if value in user.role_set
        ],
        "permissions": sorted(str(p) for p in perms_of(user)),
    }


@router.get(
    "/units",
    response={200: UnitPage, **AUTH_RESPONSES, **INPUT_RESPONSES},
    summary="Units the caller may see",
)
def unit_list(request: HttpRequest, filters: Query[UnitFilters]) -> dict[str, Any]:
    """Units in the county's order. County-wide roles see every unit; a unit's reporter
    and head see their own unit only."""
    require(request.auth, Perm.VIEW_UNITS)
    # PostgreSQL refuses NUL characters in text; nobody searches for one.
    q = filters.q.replace("\x00", "")
    units = selectors.unit_list(
        user=request.auth,
        q=q,
        unit_class_id=filters.unit_class,
        is_active=filters.is_active,
        parent_id=filters.parent,
    )
    return paginate(units, page=filters.page, page_size=filters.page_size)


@router.get(
    "/units/{unit_id}",
    response={200: UnitOut, 404: ErrorOut, **AUTH_RESPONSES, **INPUT_RESPONSES},
    summary="One unit",
)
def unit_detail(request: HttpRequest, unit_id: Path[Id]) -> Any:
    """One unit; 404 when it does not exist or the caller may not see it (so that the
    existence of another unit's records does not leak)."""
    require(request.auth, Perm.VIEW_UNITS)
    unit = selectors.unit_get(user=request.auth, pk=unit_id)
    if unit is None:
        raise Http404
    return unit


@router.get(
    "/unit-classes",
    response={200: list[UnitClassOut], **AUTH_RESPONSES},
    summary="Unit classes",
)
def unit_class_list(request: HttpRequest) -> Any:
    """Every unit class (a short list), in the county's order."""
    require(request.auth, Perm.VIEW_UNITS)
    return list(selectors.unit_class_list(user=request.auth).order_by("order", "code"))
