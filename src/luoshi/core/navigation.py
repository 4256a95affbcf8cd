"""The navigation bar: each entry shows only to users holding its capability.
Later apps append their entries to ``NAV``."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from luoshi.core.permissions import Perm


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Promise
    perm: Perm | None  # None: every signed-in user
    section: str


NAV: list[NavItem] = [
    NavItem("home", _("Home"), None, "home"),
    NavItem("projects:project_list", _("Key projects"), Perm.VIEW_PROJECTS, "projects"),
    NavItem("projects:reporting", _("Monthly reports"), Perm.FILL_REPORTS, "reporting"),
    NavItem("projects:reporting", _("Monthly reports"), Perm.APPROVE_REPORTS, "reporting"),
    NavItem("projects:review", _("Report review"), Perm.ACCEPT_REPORTS, "review"),
    NavItem("orgs:unit_list", _("Units"), Perm.VIEW_UNITS, "units"),
    NavItem("orgs:unitclass_list", _("Unit classes"), Perm.MANAGE_ORG, "unitclasses"),
    NavItem("orgs:leader_list", _("Leaders"), Perm.MANAGE_ORG, "leaders"),
    NavItem("orgs:user_list", _("Users"), Perm.MANAGE_USERS, "users"),
    NavItem("orgs:role_list", _("Role assignment"), Perm.ASSIGN_ROLES, "roles"),
    NavItem("core:audit_list", _("Audit trail"), Perm.VIEW_AUDIT, "audit"),
]
