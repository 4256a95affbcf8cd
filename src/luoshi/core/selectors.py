"""Reads of the core app: the home page summary."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from luoshi.core.permissions import Perm, has_perm, unit_scope


def home_summary(*, user: Any) -> dict[str, Any]:
    """What the home page shows the user: their unit and, for county-wide roles, the
    organisation in figures. A fixed number of queries whatever the number of units."""
    from luoshi.orgs.models import UnitClass

    summary: dict[str, Any] = {"unit": user.unit, "roles": user.role_labels, "by_class": []}
    scope = unit_scope(user)
    if has_perm(user, Perm.VIEW_UNITS) and scope.all_units:
        rows = UnitClass.objects.annotate(
            active=Count("units", filter=Q(units__is_active=True)),
            inactive=Count("units", filter=Q(units__is_active=False)),
        ).values("id", "name", "active", "inactive")
        summary["by_class"] = list(rows)
        summary["unit_total"] = sum(r["active"] for r in summary["by_class"])
    return summary
