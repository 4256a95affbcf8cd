"""Reads of the organisation: every function takes the user and returns only what that
user may see (through ``core.permissions``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from luoshi.core.permissions import Perm, has_perm, unit_scope
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
    if not (has_perm(user, Perm.MANAGE_ORG) or has_perm(user, Perm.VIEW_ALL_UNITS) or has_perm(user, Perm.VIEW_USERS)):
        return Leader.objects.none()
    qs = Leader.objects.all()
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(title__icontains=q))
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    return qs.order_by("precedence", "id")


def user_list(
    *, user: Any, q: str = "", unit_id: int | None = None, role: str = "", is_active: bool | None = None
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
        .prefetch_related(Prefetch("role_grants", queryset=RoleGrant.objects.only("id", "user_id", "role")))
        .order_by("username")
    )


def user_get(*, user: Any, pk: int) -> User | None:
    return user_list(user=user).filter(pk=pk).first()
