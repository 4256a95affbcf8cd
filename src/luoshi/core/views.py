from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from luoshi.core.errors import DomainError, apply_to_form
from luoshi.core.forms import LoginForm, PasswordChangeForm
from luoshi.core.middleware import SIGNED_IN_COOKIE
from luoshi.core.selectors import home_summary
from luoshi.orgs.auth import login_attempt, logout_record, password_change


def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if request.user.is_authenticated and request.method == "GET":
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = login_attempt(
                username=form.cleaned_data["username"], password=form.cleaned_data["password"]
            )
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            login(request, user, backend="luoshi.orgs.backends.UnitAwareBackend")
            previous = getattr(user, "previous_login", None)
            request.session["previous_login"] = previous.isoformat() if previous else ""
            response = redirect(next_url or settings.LOGIN_REDIRECT_URL)
            response.set_cookie(
                SIGNED_IN_COOKIE,
                "1",
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
            return response
    status = 400 if request.method == "POST" else 200
    return render(request, "core/login.html", {"form": form, "next": next_url}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        logout_record(user=request.user)
    logout(request)
    messages.success(request, _("You have signed out."))
    response = redirect("login")
    response.delete_cookie(SIGNED_IN_COOKIE)
    return response


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("home")
    reason = None
    if request.user.password_expired():
        reason = (
            _("Please set your own password before you continue.")
            if request.user.must_change_password or request.user.password_changed_at is None
            else _("Your password is older than %(days)d days and must be changed.")
            % {"days": settings.LUOSHI_PASSWORD_MAX_AGE_DAYS}
        )
    return render(request, "core/password_change.html", {"form": form, "reason": reason})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    previous = request.session.get("previous_login") or None
    context = {
        "summary": home_summary(user=request.user),
        "previous_login": datetime.fromisoformat(previous) if previous else None,
        "nav_section": "home",
    }
    return render(request, "core/home.html", context)
