"""Authorisation: the one place that decides what a user may see and do.

Capabilities come from roles (``ROLE_PERMS``); data is scoped by unit (``unit_scope``).
Pages, exports and the API all ask here; no view filters by unit itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from luoshi.core.errors import NotPermitted
from luoshi.orgs.choices import Role

if TYPE_CHECKING:
    from django.db.models import QuerySet


class Perm(StrEnum):
    VIEW_UNITS = "orgs.view_units"
    MANAGE_ORG = "orgs.manage_org"  # units, unit classes, leaders
    VIEW_USERS = "orgs.view_users"
    MANAGE_USERS = "orgs.manage_users"  # accounts: create, edit, reset password, deactivate
    ASSIGN_ROLES = "orgs.assign_roles"
    UNLOCK_USERS = "orgs.unlock_users"
    VIEW_AUDIT = "core.view_audit"
    VIEW_ALL_UNITS = "core.view_all_units"  # county-wide read of every unit's business data
    VIEW_PROJECTS = "projects.view"  # key projects and their reports, within the unit scope
    MANAGE_PROJECTS = "projects.manage"  # the office: project list, plans, periods, locking
    FILL_REPORTS = "projects.fill_reports"  # a unit's reporter: drafts, submits, uploads
    APPROVE_REPORTS = "projects.approve_reports"  # a unit's head: approves or returns
    ACCEPT_REPORTS = "projects.accept_reports"  # the office: accepts or returns, corrects
    VIEW_ITEMS = "supervision.view"  # meetings' items, within the item scope
    MANAGE_ITEMS = "supervision.manage"  # the office: meetings, issue, verify, close, remind
    HANDLE_ITEMS = "supervision.handle"  # a unit: accept, feedback, extension, closure request


ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.SUPERVISION_OFFICER: frozenset(
        {
            Perm.VIEW_UNITS,
            Perm.VIEW_ALL_UNITS,
            Perm.VIEW_PROJECTS,
            Perm.MANAGE_PROJECTS,
            Perm.ACCEPT_REPORTS,
            Perm.VIEW_ITEMS,
            Perm.MANAGE_ITEMS,
        }
    ),
    Role.LEADER: frozenset(
        {Perm.VIEW_UNITS, Perm.VIEW_ALL_UNITS, Perm.VIEW_PROJECTS, Perm.VIEW_ITEMS}
    ),
    Role.UNIT_HEAD: frozenset(
        {
            Perm.VIEW_UNITS,
            Perm.VIEW_PROJECTS,
            Perm.APPROVE_REPORTS,
            Perm.VIEW_ITEMS,
            Perm.HANDLE_ITEMS,
        }
    ),
    Role.UNIT_REPORTER: frozenset(
        {
            Perm.VIEW_UNITS,
            Perm.VIEW_PROJECTS,
            Perm.FILL_REPORTS,
            Perm.VIEW_ITEMS,
            Perm.HANDLE_ITEMS,
        }
    ),
    Role.SYSTEM_ADMIN: frozenset(
        {Perm.VIEW_UNITS, Perm.MANAGE_ORG, Perm.VIEW_USERS, Perm.MANAGE_USERS, Perm.VIEW_ALL_UNITS}
    ),
    Role.SECURITY_ADMIN: frozenset(
        {Perm.VIEW_UNITS, Perm.VIEW_USERS, Perm.ASSIGN_ROLES, Perm.UNLOCK_USERS}
    ),
    Role.AUDIT_ADMIN: frozenset({Perm.VIEW_AUDIT}),
}


def perms_of(user: Any) -> frozenset[Perm]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_perm_cache", None)
    if cached is None:
        collected: set[Perm] = set()
        for role in user.role_set:
            collected |= ROLE_PERMS.get(role, frozenset())
        cached = frozenset(collected)
        user._perm_cache = cached
    return cached


def has_perm(user: Any, perm: Perm) -> bool:
    return perm in perms_of(user)


def require(user: Any, perm: Perm) -> None:
    """Raise ``NotPermitted`` unless the user has ``perm``."""
    if not has_perm(user, perm):
        raise NotPermitted()


@dataclass(frozen=True)
class UnitScope:
    """Which units' data a user may read: all of them, or an explicit set (possibly empty)."""

    all_units: bool
    unit_ids: frozenset[int]

    def allows(self, unit_id: int | None) -> bool:
        return self.all_units or (unit_id is not None and unit_id in self.unit_ids)

    def filter(self, queryset: QuerySet, field: str = "unit") -> QuerySet:
        """Restrict ``queryset`` to rows whose ``field`` (a unit FK path) is in scope."""
        if self.all_units:
            return queryset
        if not self.unit_ids:
            return queryset.none()
        return queryset.filter(**{f"{field}__in": self.unit_ids})


def unit_scope(user: Any) -> UnitScope:
    """County-wide roles see every unit; unit roles see their own unit only."""
    perms = perms_of(user)
    if Perm.VIEW_ALL_UNITS in perms or Perm.MANAGE_ORG in perms or Perm.ASSIGN_ROLES in perms:
        return UnitScope(True, frozenset())
    if perms and getattr(user, "unit_id", None):
        return UnitScope(False, frozenset({user.unit_id}))
    return UnitScope(False, frozenset())
