"""Enumerations of the organisation domain, with their Chinese labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a user does in the system (角色). A user may hold several business roles,
    but at most one of the three admin roles, and then no business role (三员分立)."""

    SUPERVISION_OFFICER = "officer", _("Supervision officer")
    UNIT_REPORTER = "reporter", _("Unit reporter")
    UNIT_HEAD = "unit_head", _("Unit head")
    LEADER = "leader", _("Leader")
    SYSTEM_ADMIN = "sysadmin", _("System administrator")
    SECURITY_ADMIN = "secadmin", _("Security administrator")
    AUDIT_ADMIN = "auditadmin", _("Audit administrator")


ADMIN_ROLES: frozenset[str] = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
UNIT_ROLES: frozenset[str] = frozenset({Role.UNIT_REPORTER, Role.UNIT_HEAD})


class UnitKind(models.TextChoices):
    """The broad kind of a unit; the ranking uses the finer unit class."""

    DEPARTMENT = "department", _("County department")
    TOWNSHIP = "township", _("Township / street")
    PARK = "park", _("Park")
    ENTERPRISE = "enterprise", _("State-owned enterprise")
    OTHER = "other", _("Other")
