"""Signing in and out, lockout and password changes. Every outcome is audited."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.core.audit import audit_record
from luoshi.core.choices import AuditAction
from luoshi.core.clock import now
from luoshi.core.errors import DomainError
from luoshi.orgs.models import User


class LoginRefused(DomainError):
    pass


@dataclass
class _Outcome:
    user: User | None
    error: str | None


def _locked_message(user: User) -> str:
    local = timezone.localtime(user.locked_until)
    minutes = max(1, math.ceil((user.locked_until - now()).total_seconds() / 60))
    return _(
        "This account is locked after %(n)d failed sign-ins. Try again in %(minutes)d minutes "
        "(after %(time)s), or ask the security administrator to unlock it."
    ) % {
        "n": settings.LUOSHI_LOCKOUT_THRESHOLD,
        "minutes": minutes,
        "time": local.strftime("%H:%M"),
    }


def _wrong_credentials_message() -> str:
    return _(
        "Wrong username or password. After %(n)d failed attempts in a row the account is "
        "locked for %(minutes)d minutes."
    ) % {"n": settings.LUOSHI_LOCKOUT_THRESHOLD, "minutes": settings.LUOSHI_LOCKOUT_MINUTES}


def login_attempt(*, username: str, password: str) -> User:
    """Check a sign-in. Returns the user, or raises ``LoginRefused`` with the reason to show.

    Five failures in a row lock the account for 15 minutes; a correct password does not
    open a locked account. The count is written even though the attempt fails, so the
    outcome is decided inside the transaction and raised after it commits.
    """
    username = (username or "").strip()
    with transaction.atomic():
        outcome = _check(username, password)
    if outcome.error:
        raise LoginRefused(outcome.error)
    assert outcome.user is not None
    return outcome.user


def _check(username: str, password: str) -> _Outcome:
    user = (
        User.objects.select_for_update().filter(username__iexact=username).first()
        if username
        else None
    )
    if user is None:
        audit_record(
            action=AuditAction.LOGIN_FAILED, username=username, after={"reason": "unknown user"}
        )
        return _Outcome(None, _wrong_credentials_message())
    if user.is_locked():
        audit_record(
            action=AuditAction.LOGIN_FAILED,
            obj=user,
            username=user.username,
            after={"reason": "locked"},
        )
        return _Outcome(None, _locked_message(user))
    if not user.check_password(password):
        user.failed_logins += 1
        if user.failed_logins >= settings.LUOSHI_LOCKOUT_THRESHOLD:
            user.locked_until = now() + timedelta(minutes=settings.LUOSHI_LOCKOUT_MINUTES)
            user.failed_logins = 0
            user.save(update_fields=["failed_logins", "locked_until"])
            audit_record(
                action=AuditAction.LOCKOUT,
                obj=user,
                username=user.username,
                after={"locked_until": user.locked_until},
            )
            return _Outcome(None, _locked_message(user))
        user.save(update_fields=["failed_logins"])
        audit_record(
            action=AuditAction.LOGIN_FAILED,
            obj=user,
            username=user.username,
            after={"reason": "wrong password", "failed_logins": user.failed_logins},
        )
        return _Outcome(None, _wrong_credentials_message())
    if not user.is_active:
        audit_record(
            action=AuditAction.LOGIN_FAILED,
            obj=user,
            username=user.username,
            after={"reason": "inactive"},
        )
        return _Outcome(
            None, _("This account is disabled. Please contact the system administrator.")
        )
    user.failed_logins = 0
    user.locked_until = None
    user.previous_login = user.last_login  # shown on the home page: "last sign-in"
    user.last_login = now()
    user.save(update_fields=["failed_logins", "locked_until", "last_login"])
    audit_record(action=AuditAction.LOGIN, actor=user, obj=user)
    return _Outcome(user, None)


def logout_record(*, user: User) -> None:
    audit_record(action=AuditAction.LOGOUT, actor=user, obj=user)


def password_change(*, user: User, old_password: str, new_password: str) -> None:
    """Change the user's own password. Refuses a wrong old password, a password that
    breaks the rules, and the same password again."""
    if not user.check_password(old_password):
        raise DomainError(_("The current password is wrong."), field="old_password")
    if old_password == new_password:
        raise DomainError(
            _("The new password must differ from the current one."), field="new_password1"
        )
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="new_password1") from exc
    with transaction.atomic():
        user.set_password(new_password)
        user.password_changed_at = now()
        user.must_change_password = False
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        audit_record(action=AuditAction.PASSWORD_CHANGE, actor=user, obj=user)
