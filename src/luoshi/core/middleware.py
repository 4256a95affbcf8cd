from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from luoshi.core.audit import current_ip
from luoshi.core.clock import now

Handler = Callable[[HttpRequest], HttpResponse]

# Set at login and cleared at logout: an anonymous request still carrying it means the
# session timed out, and the login page says so instead of a bare form.
SIGNED_IN_COOKIE = "luoshi_signed_in"


def client_ip(request: HttpRequest) -> str:
    if settings.LUOSHI_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()[:45]
    return request.META.get("REMOTE_ADDR", "")[:45]


class ContentSecurityPolicyMiddleware:
    """A strict policy: no inline script or style anywhere in the product."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class RequestContextMiddleware:
    """Makes the client's address available to the audit service for this request."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class SessionActivityMiddleware:
    """Keeps an active user's session alive: the idle timeout restarts with each request,
    but the session row is rewritten at most once a minute, not on every request."""

    KEY = "_last_activity"

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            stamp = int(now().timestamp())
            last = request.session.get(self.KEY, 0)
            if stamp - last >= settings.LUOSHI_SESSION_RENEW_SECONDS:
                request.session[self.KEY] = stamp
        return self.get_response(request)


class SessionExpiryMiddleware:
    """Tells a user whose session ran out after 30 idle minutes why they see the login page."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        expired = (
            not request.user.is_authenticated
            and request.COOKIES.get(SIGNED_IN_COOKIE)
            and not request.path.startswith(("/static/", "/healthz", "/api/"))
        )
        if expired:
            messages.warning(
                request,
                _(
                    "Your session ended after %(minutes)d minutes without activity. Please sign in again."
                )
                % {"minutes": settings.LUOSHI_IDLE_TIMEOUT_MINUTES},
            )
            login_url = reverse("login")
            response = (
                redirect(f"{login_url}?next={request.get_full_path()}")
                if request.path != login_url
                else self.get_response(request)
            )
            response.delete_cookie(SIGNED_IN_COOKIE)
            return response
        return self.get_response(request)


class PasswordPolicyMiddleware:
    """Sends a user whose password must change (first login, older than 90 days) to the
    change form before anything else."""

    ALLOWED_PREFIXES = ("/static/", "/healthz", "/i18n/", "/account/password/", "/logout/")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and user.password_expired()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Your password must be changed before you can continue.")},
                    status=403,
                )
            return redirect("password_change")
        return self.get_response(request)
