"""The navigation bar: each entry shows only to users holding its capability.
Later apps append their entries to ``NAV``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from luoshi.core.permissions import Perm


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Promise
    perm: Perm | None  # None: every signed-in user
    section: str
    # A further test of the user, for entries no single capability tells apart (a leader's
    # own list: leaders and the office hold the same reading capabilities).
    when: Callable[[Any], bool] | None = None


def _county_wide(user: Any) -> bool:
    from luoshi.supervision.selectors_lists import county_wide

    return county_wide(user)


def _leader(user: Any) -> bool:
    from luoshi.supervision.selectors_lists import is_leader

    return is_leader(user)


NAV: list[NavItem] = [
    NavItem("home", _("Home"), None, "home"),
    NavItem("projects:project_list", _("Key projects"), Perm.VIEW_PROJECTS, "projects"),
    NavItem("projects:reporting", _("Monthly reports"), Perm.FILL_REPORTS, "reporting"),
    NavItem("projects:reporting", _("Monthly reports"), Perm.APPROVE_REPORTS, "reporting"),
    NavItem("projects:review", _("Report review"), Perm.ACCEPT_REPORTS, "review"),
    NavItem("supervision:inbox", _("Supervision inbox"), Perm.HANDLE_ITEMS, "inbox"),
    NavItem("supervision:leader_items", _("My items"), Perm.VIEW_ITEMS, "leader_items", _leader),
    NavItem("supervision:meeting_list", _("Meetings"), Perm.VIEW_ITEMS, "meetings", _county_wide),
    NavItem("supervision:ledger", _("Supervision ledger"), Perm.VIEW_ITEMS, "ledger", _county_wide),
    NavItem("supervision:overdue", _("Overdue items"), Perm.MANAGE_ITEMS, "overdue"),
    NavItem("orgs:unit_list", _("Units"), Perm.VIEW_UNITS, "units"),
    NavItem("orgs:unitclass_list", _("Unit classes"), Perm.MANAGE_ORG, "unitclasses"),
    NavItem("orgs:leader_list", _("Leaders"), Perm.MANAGE_ORG, "leaders"),
    NavItem("orgs:user_list", _("Users"), Perm.MANAGE_USERS, "users"),
    NavItem("orgs:role_list", _("Role assignment"), Perm.ASSIGN_ROLES, "roles"),
    NavItem("core:audit_list", _("Audit trail"), Perm.VIEW_AUDIT, "audit"),
]
