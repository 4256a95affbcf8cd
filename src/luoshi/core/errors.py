"""Domain errors: raised by services with a translatable message, turned into a form
error, a flash message or an API 4xx by one handler each."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the business refused the action. ``message`` is shown to the user;
    ``field`` names the form field it belongs to, if any."""

    status_code = 400

    def __init__(self, message: Any, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code


class NotPermitted(DomainError):
    status_code = 403

    def __init__(self, message: Any = None, **kwargs: Any) -> None:
        from django.utils.translation import gettext_lazy as _

        super().__init__(
            message or _("You do not have permission to do this."), code="forbidden", **kwargs
        )


class Conflict(DomainError):
    status_code = 409


def apply_to_form(form: Any, error: DomainError) -> None:
    """Show a domain error on a Django form (on its field when the field is on the form)."""
    field = error.field if error.field in getattr(form, "fields", {}) else None
    form.add_error(field, str(error.message))
