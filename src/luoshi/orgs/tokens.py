"""Personal access tokens (个人访问令牌): creating, revoking and checking them.

A token is shown to its owner once, when it is created; the database keeps only its
SHA-256 digest and a short hint, so a leaked database does not leak usable tokens, and
the audit trail records the hint, never the token.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from luoshi.core.audit import audit_record, snapshot
from luoshi.core.choices import AuditAction
from luoshi.core.clock import now
from luoshi.core.errors import DomainError, NotPermitted
from luoshi.orgs.models import AccessToken, User

HINT_LENGTH = 8  # "ls_" and five characters: enough to tell tokens apart, useless to an attacker
MAX_ACTIVE_TOKENS = 20
MAX_LIFETIME_DAYS = 366
# last_used_at is written at most this often per token, so a busy script does not turn
# every API read into a database write.
LAST_USED_RESOLUTION = timedelta(minutes=1)

AUDIT_FIELDS = ["user", "name", "hint", "expires_at", "revoked_at"]
# What ``AccessToken.generate_raw`` produces: the prefix and URL-safe base64.
RAW_TOKEN_RE = re.compile(r"ls_[A-Za-z0-9_-]{20,100}")


class InvalidTokenError(DomainError):
    """The token in a request is malformed, unknown, revoked, expired or its owner is
    disabled; the API answers 401 with this message."""

    status_code = 401


def token_list(*, user: Any) -> QuerySet[AccessToken]:
    """The user's own tokens, newest first (revoked and expired ones included)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return AccessToken.objects.none()
    return AccessToken.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


def token_create(
    *, actor: Any, user: User, name: str, expires_at: datetime | None = None
) -> tuple[AccessToken, str]:
    """Issue a token for ``user``; returns the token and its raw value, which is shown
    once and never stored. Users issue tokens for themselves; ``actor=None`` is the
    operator at the command line (``luoshi create-token``)."""
    if actor is not None and actor.pk != user.pk:
        raise NotPermitted(_("You can only create access tokens for your own account."))
    if not user.is_active:
        raise DomainError(_("This account is disabled; it cannot be given an access token."))
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the token a name, so you can recognise it later."), field="name")
    max_name = AccessToken._meta.get_field("name").max_length
    if len(name) > max_name:
        raise DomainError(
            _("The name can have at most %(n)d characters.") % {"n": max_name}, field="name"
        )
    current = now()
    if expires_at is not None:
        if expires_at <= current:
            raise DomainError(_("The expiry date must lie in the future."), field="expires_at")
        if expires_at > current + timedelta(days=MAX_LIFETIME_DAYS):
            raise DomainError(
                _("A token can be valid for at most %(days)d days.") % {"days": MAX_LIFETIME_DAYS},
                field="expires_at",
            )
    with transaction.atomic():
        # Lock the owner's row so two concurrent requests cannot both pass the limit.
        User.objects.select_for_update().filter(pk=user.pk).first()
        active = (
            AccessToken.objects.filter(user=user, revoked_at__isnull=True)
            .exclude(expires_at__lte=current)
            .count()
        )
        if active >= MAX_ACTIVE_TOKENS:
            raise DomainError(
                _("You already have %(n)d active tokens. Revoke one you no longer use first.")
                % {"n": MAX_ACTIVE_TOKENS}
            )
        raw = AccessToken.generate_raw()
        token = AccessToken.objects.create(
            user=user,
            name=name,
            digest=AccessToken.digest_of(raw),
            hint=raw[:HINT_LENGTH],
            created_at=current,
            expires_at=expires_at,
        )
        audit_record(
            action=AuditAction.TOKEN_CREATE,
            actor=actor,
            obj=token,
            username="" if actor is not None else "(command line)",
            after=snapshot(token, AUDIT_FIELDS),
        )
    return token, raw


def token_revoke(*, actor: Any, token: AccessToken) -> AccessToken:
    """Revoke a token at once; scripts using it get 401 from the next request on.
    Owners revoke their own tokens; ``actor=None`` is the operator at the command line."""
    if actor is not None and actor.pk != token.user_id:
        raise NotPermitted(_("You can only revoke your own access tokens."))
    with transaction.atomic():
        token = AccessToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            raise DomainError(_("This token has already been revoked."))
        before = snapshot(token, AUDIT_FIELDS)
        token.revoked_at = now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            action=AuditAction.TOKEN_REVOKE,
            actor=actor,
            obj=token,
            username="" if actor is not None else "(command line)",
            before=before,
            after=snapshot(token, AUDIT_FIELDS),
        )
    return token


def token_authenticate(*, raw: str) -> User:
    """The user a raw token (without the ``Bearer`` word) stands for, or ``InvalidTokenError``
    with the reason. One query to find the token and its owner; one more at most once a
    minute to record when it was last used."""
    raw = (raw or "").strip()
    if not RAW_TOKEN_RE.fullmatch(raw):
        raise InvalidTokenError(
            _("The access token is malformed. Send it as 'Authorization: Bearer ls_…'."),
            code="token_malformed",
        )
    token = (
        AccessToken.objects.select_related("user", "user__unit")
        .filter(digest=AccessToken.digest_of(raw))
        .first()
    )
    if token is None:
        raise InvalidTokenError(_("The access token is not valid."), code="token_unknown")
    current = now()
    if token.revoked_at is not None:
        raise InvalidTokenError(_("The access token has been revoked."), code="token_revoked")
    if token.expires_at is not None and token.expires_at <= current:
        raise InvalidTokenError(_("The access token has expired."), code="token_expired")
    user = token.user
    if not user.is_active:
        raise InvalidTokenError(
            _("The account this access token belongs to is disabled."), code="token_user_inactive"
        )
    if token.last_used_at is None or token.last_used_at + LAST_USED_RESOLUTION <= current:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=current)
    return user
