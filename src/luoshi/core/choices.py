"""Enumerations shared across apps."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Login")
    LOGIN_FAILED = "login_failed", _("Login failed")
    LOCKOUT = "lockout", _("Account locked")
    UNLOCK = "unlock", _("Account unlocked")
    LOGOUT = "logout", _("Logout")
    SESSION_EXPIRED = "session_expired", _("Session expired")
    PASSWORD_CHANGE = "password_change", _("Password changed")
    PASSWORD_RESET = "password_reset", _("Password reset")
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    ROLE_GRANT = "role_grant", _("Role granted")
    ROLE_REVOKE = "role_revoke", _("Role revoked")
    TOKEN_CREATE = "token_create", _("Access token created")
    TOKEN_REVOKE = "token_revoke", _("Access token revoked")
    EXPORT = "export", _("Export")
