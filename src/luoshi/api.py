"""The one NinjaAPI of luoshi, at /api/v1/. Each app adds its Router from ``<app>/api.py``.

Callers authenticate in one of two ways:
- a browser session (the signed-in user of the pages), with the CSRF token on unsafe methods;
- a personal access token, ``Authorization: Bearer ls_…``, for scripts.

A request that carries an ``Authorization`` header is decided by the token alone: a bad
token gets 401 with the reason, even when a session cookie is present as well.

The OpenAPI schema and the docs page require a signed-in user or a valid token: this is a
government intranet, and the list of endpoints is nobody else's business.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.openapi.views import openapi_json
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from luoshi.core.errors import DomainError
from luoshi.orgs.api import router as orgs_router
from luoshi.orgs.tokens import InvalidTokenError, token_authenticate
from luoshi.projects.api import router as projects_router  # noqa: E402
from luoshi.projects.api_reports import router as reports_router  # noqa: E402
from luoshi.supervision.api import router as supervision_router
from luoshi.supervision.api_steps import router as supervision_steps_router


def _malformed() -> InvalidTokenError:
    return InvalidTokenError(
        _("The Authorization header is malformed. Send 'Authorization: Bearer ls_…'."),
        code="token_malformed",
    )


class AccessTokenAuth(HttpBearer):
    """``Authorization: Bearer ls_…``. Without the header it steps aside for the session;
    with it, any fault in the header or the token is a 401 with its reason."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization")
        if header is None:
            return None
        scheme, _sep, raw = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise _malformed()
        return self.authenticate(request, raw)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(raw=token)
        # Code below the API (audit, selectors) reads request.user like on the pages.
        request.user = user
        return user


class CsrfFailedError(DomainError):
    status_code = 403


class BrowserSessionAuth(SessionAuth):
    """The pages' session; unsafe methods need the CSRF token like a form post does."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise CsrfFailedError(
                _("The CSRF check failed. Reload the page, or use an access token from a script."),
                code="csrf",
            )
        return request.COOKIES.get(self.param_name)


def _signed_in_or_token(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Guards the schema and the docs page: a signed-in user or a valid token."""
    wants_json = getattr(view, "func", None) is openapi_json

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "Authorization" in request.headers:
            try:
                AccessTokenAuth()(request)
            except DomainError as exc:
                return JsonResponse({"detail": str(exc.message)}, status=exc.status_code)
        elif not request.user.is_authenticated:
            if wants_json:
                return JsonResponse({"detail": _not_signed_in()}, status=401)
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def _not_signed_in() -> str:
    return _("Sign in first, or send a personal access token as 'Authorization: Bearer ls_…'.")


api = NinjaAPI(
    title="luoshi API",
    version="1",
    description=(
        "The luoshi work-implementation platform. Authenticate with a personal access token "
        "(`Authorization: Bearer ls_…`, created on your account page or with "
        "`luoshi create-token`) or, in the browser, with your session."
    ),
    urls_namespace="api",
    auth=[AccessTokenAuth(), BrowserSessionAuth(csrf=True)],
    docs=Swagger(),
    docs_decorator=_signed_in_or_token,
)
api.add_router("", orgs_router)
api.add_router("", projects_router)
api.add_router("", reports_router)
api.add_router("", supervision_router)
api.add_router("", supervision_steps_router)


def _respond(request: HttpRequest, message: Any, status: int) -> HttpResponse:
    response = api.create_response(request, {"detail": str(message)}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="luoshi"'
    return response


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """A refused business rule (or a refused token) becomes its 4xx with the message."""
    return _respond(request, exc.message, exc.status_code)


@api.exception_handler(AuthenticationError)
def _not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _respond(request, _not_signed_in(), 401)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _respond(request, exc.message, exc.status_code)


# Pydantic's messages are English only; the common ones are said again in the caller's
# language. Anything not listed keeps pydantic's wording.
_FIELD_MESSAGES: dict[str, Callable[[dict[str, Any]], str]] = {
    "missing": lambda ctx: _("This field is required."),
    "int_parsing": lambda ctx: _("Enter a whole number."),
    "int_type": lambda ctx: _("Enter a whole number."),
    "int_from_float": lambda ctx: _("Enter a whole number."),
    "bool_parsing": lambda ctx: _("Enter true or false."),
    "bool_type": lambda ctx: _("Enter true or false."),
    "greater_than_equal": lambda ctx: _("Enter a number of at least %(n)s.") % {"n": ctx.get("ge")},
    "less_than_equal": lambda ctx: _("Enter a number of at most %(n)s.") % {"n": ctx.get("le")},
    "string_too_long": lambda ctx: (
        _("Enter at most %(n)s characters.") % {"n": ctx.get("max_length")}
    ),
    "string_too_short": lambda ctx: (
        _("Enter at least %(n)s characters.") % {"n": ctx.get("min_length")}
    ),
    "string_type": lambda ctx: _("Enter text."),
    "enum": lambda ctx: _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected")},
    "json_invalid": lambda ctx: _("The request body is not valid JSON."),
}


@api.exception_handler(ValidationError)
def _invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422 with one entry per field: where (``loc``), what (``type``) and a message."""
    errors = []
    for error in exc.errors:
        translate = _FIELD_MESSAGES.get(error.get("type", ""))
        message = translate(error.get("ctx") or {}) if translate else str(error.get("msg", ""))
        loc = [part if isinstance(part, int) else str(part) for part in error.get("loc", [])]
        errors.append({"type": str(error.get("type", "")), "loc": loc, "msg": message})
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _respond(request, _("Not found, or you may not see it."), 404)


def unknown_endpoint(request: HttpRequest, path: str = "") -> HttpResponse:
    """Any path under /api/ that no endpoint answers: JSON like every other API error,
    not the HTML page a browser gets."""
    return _respond(request, _("There is no such API endpoint. See /api/v1/docs."), 404)
