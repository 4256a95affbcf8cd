"""Organisation: unit classes, units, leaders, user accounts and their roles."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from luoshi.core.clock import now
from luoshi.orgs.choices import ADMIN_ROLES, Role, UnitKind


class UnitClass(models.Model):
    """Unit class (单位类别): the group a unit is ranked in, e.g. townships among townships."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64, unique=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=UnitKind.choices, default=UnitKind.DEPARTMENT
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("unit class")
        verbose_name_plural = _("unit classes")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """Unit (单位): a county department, a township or street, a park or a state-owned company.
    Every reporter and unit head belongs to exactly one; isolation works on the unit itself."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    unit_class = models.ForeignKey(
        UnitClass, on_delete=models.PROTECT, related_name="units", verbose_name=_("unit class")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created at"), default=now, editable=False)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        indexes = [
            models.Index(fields=["unit_class", "is_active"]),
            models.Index(fields=["name"]),
            models.Index(fields=["order", "code"], name="orgs_unit_list_order"),
        ]

    def __str__(self) -> str:
        return self.name


class Leader(models.Model):
    """Leader (领导): a county leader with a title, ordered by precedence (排序), who can be the
    responsible leader of projects and the issuer of instructions (批示)."""

    name = models.CharField(_("name"), max_length=32)
    title = models.CharField(_("title"), max_length=64)
    precedence = models.PositiveIntegerField(_("order of precedence"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["precedence", "id"]
        verbose_name = _("leader")
        verbose_name_plural = _("leaders")

    def __str__(self) -> str:
        return f"{self.name}（{self.title}）"


class User(AbstractUser):
    """User account (用户). Belongs to one unit, or to none for leaders and admins."""

    full_name = models.CharField(_("full name"), max_length=32, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("unit"),
    )
    leader = models.OneToOneField(
        Leader,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("leader"),
    )
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=True)
    # The demo's printed accounts skip the forced change so a visitor can walk straight in.
    password_policy_exempt = models.BooleanField(default=False, editable=False)
    failed_logins = models.PositiveSmallIntegerField(default=0, editable=False)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)

    objects = UserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("username"), name="orgs_user_username_ci_unique")
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def role_set(self) -> frozenset[str]:
        """The user's roles, loaded once per request (prefetched on lists)."""
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            if (
                hasattr(self, "_prefetched_objects_cache")
                and "role_grants" in self._prefetched_objects_cache
            ):
                cached = frozenset(g.role for g in self.role_grants.all())
            else:
                # Plain SQL (``core.rawsql``): every page asks once.
                from luoshi.core.rawsql import fetch

                rows = fetch(
                    f"SELECT role FROM {RoleGrant._meta.db_table} WHERE user_id = %s", [self.pk]
                )
                cached = frozenset(role for (role,) in rows)
            self._role_cache = cached
        return cached

    def has_role(self, role: str) -> bool:
        return role in self.role_set

    @property
    def role_labels(self) -> list[str]:
        return [str(label) for value, label in Role.choices if value in self.role_set]

    @property
    def is_admin(self) -> bool:
        return bool(self.role_set & ADMIN_ROLES)

    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > now()

    def password_expired(self) -> bool:
        if self.password_policy_exempt:
            return False
        if self.must_change_password or self.password_changed_at is None:
            return True
        max_age = timedelta(days=settings.LUOSHI_PASSWORD_MAX_AGE_DAYS)
        return self.password_changed_at + max_age < now()


class RoleGrant(models.Model):
    """A role held by a user (角色授权). Granted and revoked by the security admin; audited."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    granted_at = models.DateTimeField(default=now, editable=False)
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="orgs_rolegrant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class AccessToken(models.Model):
    """Personal access token (个人访问令牌) for scripts calling the API with ``Bearer``.
    Only a SHA-256 digest is stored; the token itself is shown once, at creation."""

    PREFIX = "ls_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(_("name"), max_length=64)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(default=now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    @classmethod
    def generate_raw(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    def is_usable(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > now()
