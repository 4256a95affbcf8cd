"""Reads of the organisation: every function takes the user and returns only what that
user may see (through ``core.permissions``)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from luoshi.core.clock import now
from luoshi.core.permissions import Perm, UnitScope, has_perm, unit_scope
from luoshi.core.rawsql import fetch, marks
from luoshi.orgs.models import Leader, RoleGrant, Unit, UnitClass, User


def _search_units(qs: QuerySet[Unit], q: str) -> QuerySet[Unit]:
    q = (q or "").strip()
    if not q:
        return qs
    return qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(short_name__icontains=q))


def unit_list(
    *,
    user: Any,
    q: str = "",
    unit_class_id: int | None = None,
    is_active: bool | None = None,
    parent_id: int | None = None,
) -> QuerySet[Unit]:
    """Units the user may see, filtered; ordered as the county orders them."""
    if not has_perm(user, Perm.VIEW_UNITS):
        return Unit.objects.none()
    qs = unit_scope(user).filter(Unit.objects.all(), field="id")
    qs = _search_units(qs, q)
    if unit_class_id:
        qs = qs.filter(unit_class_id=unit_class_id)
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    if parent_id:
        qs = qs.filter(parent_id=parent_id)
    return qs.select_related("unit_class", "parent").order_by("order", "code")


def unit_get(*, user: Any, pk: int) -> Unit | None:
    """One unit if the user may see it, else None (callers answer 404)."""
    return unit_list(user=user).filter(pk=pk).first()


def unit_class_list(*, user: Any) -> QuerySet[UnitClass]:
    if not has_perm(user, Perm.VIEW_UNITS):
        return UnitClass.objects.none()
    return UnitClass.objects.all()


def leader_list(*, user: Any, q: str = "", is_active: bool | None = None) -> QuerySet[Leader]:
    if not (
        has_perm(user, Perm.MANAGE_ORG)
        or has_perm(user, Perm.VIEW_ALL_UNITS)
        or has_perm(user, Perm.VIEW_USERS)
    ):
        return Leader.objects.none()
    qs = Leader.objects.all()
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(title__icontains=q))
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    return qs.order_by("precedence", "id")


def user_list(
    *,
    user: Any,
    q: str = "",
    unit_id: int | None = None,
    role: str = "",
    is_active: bool | None = None,
) -> QuerySet[User]:
    """User accounts, for the system and security administrators."""
    if not has_perm(user, Perm.VIEW_USERS):
        return User.objects.none()
    qs = User.objects.all()
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(phone__icontains=q))
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if role:
        qs = qs.filter(role_grants__role=role)
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    return (
        qs.select_related("unit", "leader")
        .prefetch_related(
            Prefetch("role_grants", queryset=RoleGrant.objects.only("id", "user_id", "role"))
        )
        .order_by("username")
    )


def user_get(*, user: Any, pk: int) -> User | None:
    return user_list(user=user).filter(pk=pk).first()


# --- Reads for the organisation management pages (additive; the API uses the ones above).


UNIT_ROW_FIELDS = (
    "pk",
    "code",
    "name",
    "short_name",
    "unit_class__name",
    "parent_id",
    "parent__name",
    "is_active",
)


def unit_rows_page(*, user: Any, page: Any, per_page: int, **filters: Any) -> Page:
    """One page of the unit list as plain rows with ``user_count`` and ``child_count``.

    The page is cut from the plain list and the two counts are then fetched for its rows
    only: at province scale, compiling correlated subqueries (twice: for the COUNT and for
    the rows) and building three model instances per row cost more than the whole rest of
    the page. A fixed number of queries whatever the number of units.
    """
    rows = unit_list(user=user, **filters).values(*UNIT_ROW_FIELDS)
    page_obj = Paginator(rows, per_page).get_page(page)
    ids = [row["pk"] for row in page_obj.object_list]
    users, children = _unit_counts(ids, scope=unit_scope(user))
    for row in page_obj.object_list:
        row["user_count"] = users.get(row["pk"], 0)
        row["child_count"] = children.get(row["pk"], 0)
    return page_obj


def _unit_counts(ids: list[int], *, scope: UnitScope) -> tuple[dict[int, int], dict[int, int]]:
    """Accounts and visible sub-units per unit, for one page of unit ids, in one round trip.

    Plain, standard SQL (the suite runs it on SQLite and PostgreSQL): building the two
    grouped ORM queries cost more than the rest of the list page's queries together.
    Only sub-units the user may see are counted, since the count links to a list
    filtered by parent.
    """
    if not ids:
        return {}, {}
    qn = connection.ops.quote_name
    ids_in = marks(len(ids))
    sql = (
        f"SELECT 'u', {qn('unit_id')}, COUNT(*) FROM {qn(User._meta.db_table)}"
        f" WHERE {qn('unit_id')} IN ({ids_in}) GROUP BY {qn('unit_id')}"
    )
    params: list[int] = list(ids)
    if scope.all_units or scope.unit_ids:
        visible = ""
        if not scope.all_units:
            visible = f" AND {qn('id')} IN ({marks(len(scope.unit_ids))})"
        sql += (
            f" UNION ALL SELECT 'c', {qn('parent_id')}, COUNT(*) FROM {qn(Unit._meta.db_table)}"
            f" WHERE {qn('parent_id')} IN ({ids_in}){visible} GROUP BY {qn('parent_id')}"
        )
        params += ids
        if not scope.all_units:
            params += sorted(scope.unit_ids)
    users: dict[int, int] = {}
    children: dict[int, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, unit_id, n in cursor.fetchall():
            (users if kind == "u" else children)[unit_id] = n
    return users, children


def _count_of(qs: QuerySet, group_field: str) -> Coalesce:
    counted = qs.order_by().values(group_field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def unit_children(*, user: Any, unit: Unit) -> list[Unit]:
    """The sub-units of ``unit`` that the user may see, each with ``user_count`` and
    ``child_count`` (counted like the list page's rows, in one round trip)."""
    children = list(unit_list(user=user, parent_id=unit.pk))
    users, grandchildren = _unit_counts([c.pk for c in children], scope=unit_scope(user))
    for child in children:
        child.user_count = users.get(child.pk, 0)
        child.child_count = grandchildren.get(child.pk, 0)
    return children


def unit_users(*, user: Any, unit: Unit) -> QuerySet[User]:
    """The accounts of ``unit``, for users who may see accounts (empty otherwise)."""
    return user_list(user=user, unit_id=unit.pk)


def active_unit_pairs(limit: int) -> list[tuple[int, str]] | None:
    """(id, name) of every active unit, in the county's order, for a drop-down; None when
    there are more than ``limit`` (a province: a search box instead). A probe past the
    ``limit``-th row first, instead of reading them all; plain SQL (``core.rawsql``), as
    the list pages ask on every view."""
    table = Unit._meta.db_table
    if fetch(f"SELECT id FROM {table} WHERE is_active = %s LIMIT 1 OFFSET %s", [True, limit]):
        return None
    return fetch(
        f'SELECT id, name FROM {table} WHERE is_active = %s ORDER BY "order", code, id', [True]
    )


def unit_choice_list(*, user: Any) -> QuerySet[Unit]:
    """Active units for a choice list (parent of a unit, unit of an account)."""
    return (
        unit_list(user=user, is_active=True)
        .select_related(None)
        .only("id", "code", "name", "order")
    )


def unit_class_list_with_counts(*, user: Any) -> QuerySet[UnitClass]:
    """Unit classes with the number of units in each (a class with units cannot be deleted)."""
    return unit_class_list(user=user).annotate(
        unit_count=_count_of(Unit.objects.filter(unit_class=OuterRef("pk")), "unit_class")
    )


def leader_list_with_accounts(
    *, user: Any, q: str = "", is_active: bool | None = None
) -> QuerySet[Leader]:
    """``leader_list`` with the linked user account joined in (no query per row)."""
    return leader_list(user=user, q=q, is_active=is_active).select_related("user")


def leader_get(*, user: Any, pk: int) -> Leader | None:
    return leader_list_with_accounts(user=user).filter(pk=pk).first()


def user_search(
    *,
    user: Any,
    q: str = "",
    unit_id: int | None = None,
    role: str = "",
    is_active: bool | None = None,
    locked: bool | None = None,
    unit_q: str = "",
) -> QuerySet[User]:
    """``user_list`` plus a filter on accounts locked right now (after repeated failures)
    and one on the unit's name, short name or code (``unit_q``)."""
    qs = user_list(user=user, q=q, unit_id=unit_id, role=role, is_active=is_active)
    unit_q = (unit_q or "").strip()
    if unit_q:
        qs = qs.filter(
            Q(unit__name__icontains=unit_q)
            | Q(unit__short_name__icontains=unit_q)
            | Q(unit__code__iexact=unit_q)
        )
    if locked is True:
        qs = qs.filter(locked_until__gt=now())
    elif locked is False:
        qs = qs.filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now()))
    return qs
