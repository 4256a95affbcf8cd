"""Password rules of MLPS 2.0 level 3: at least 10 characters from three of the four
character classes, and never the username."""

from __future__ import annotations

import string
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIN_LENGTH = 10


def character_classes(password: str) -> int:
    """How many of lower case, upper case, digits and symbols the password uses."""
    classes = [
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() and c not in string.whitespace for c in password),
    ]
    return sum(classes)


class ComplexityValidator:
    def validate(self, password: str, user: Any = None) -> None:
        errors = []
        if len(password) < MIN_LENGTH:
            errors.append(
                ValidationError(
                    _("The password must have at least %(n)d characters.") % {"n": MIN_LENGTH},
                    code="password_too_short",
                )
            )
        if character_classes(password) < 3:
            errors.append(
                ValidationError(
                    _(
                        "The password must use three of these four: lower-case letters, "
                        "upper-case letters, digits, symbols."
                    ),
                    code="password_too_simple",
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return _(
            "At least %(n)d characters, using three of: lower-case letters, upper-case letters, "
            "digits, symbols."
        ) % {"n": MIN_LENGTH}


class NotUsernameValidator:
    def validate(self, password: str, user: Any = None) -> None:
        username = (getattr(user, "username", "") or "").strip().lower()
        if username and username in password.lower():
            raise ValidationError(
                _("The password must not contain the username."), code="password_is_username"
            )

    def get_help_text(self) -> str:
        return _("It must not contain your username.")
