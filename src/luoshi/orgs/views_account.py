"""The user's own settings page: the account at a glance, the password's age and the
personal access tokens for scripts calling the API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from luoshi.core.clock import now
from luoshi.core.errors import DomainError, apply_to_form
from luoshi.orgs.tokens import MAX_LIFETIME_DAYS, token_create, token_list, token_revoke


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=64,
        help_text=gettext_lazy("What the token is for, e.g. “monthly report script”."),
    )
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"),
        required=False,
        min_value=1,
        max_value=MAX_LIFETIME_DAYS,
        help_text=gettext_lazy("Leave empty for a token that is valid until you revoke it."),
    )


def _page(
    request: HttpRequest, form: TokenCreateForm, *, raw_token: str = "", status: int = 200
) -> HttpResponse:
    user = request.user
    password_age_days = None
    if user.password_changed_at is not None:
        password_age_days = (now() - user.password_changed_at).days
    context: dict[str, Any] = {
        "nav_section": "account",
        "account": user,
        "password_age_days": password_age_days,
        "password_max_age_days": settings.LUOSHI_PASSWORD_MAX_AGE_DAYS,
        "tokens": list(token_list(user=user)),
        "form": form,
        "raw_token": raw_token,
        "now": now(),
    }
    return render(request, "orgs/account_settings.html", context, status=status)


@login_required
@never_cache
def account_settings(request: HttpRequest) -> HttpResponse:
    return _page(request, TokenCreateForm())


@login_required
@never_cache
@require_POST
def token_create_view(request: HttpRequest) -> HttpResponse:
    """Creates a token and shows it on this response only: it is never stored, so the page
    cannot show it again (no redirect, and the response is not cached)."""
    form = TokenCreateForm(request.POST)
    if form.is_valid():
        days = form.cleaned_data["days"]
        try:
            _token, raw = token_create(
                actor=request.user,
                user=request.user,
                name=form.cleaned_data["name"],
                expires_at=now() + timedelta(days=days) if days else None,
            )
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            return _page(request, TokenCreateForm(), raw_token=raw)
    return _page(request, form, status=400)


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(token_list(user=request.user), pk=pk)
    try:
        token_revoke(actor=request.user, token=token)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("The token “%(name)s” has been revoked.") % {"name": token.name}
        )
    return redirect("account:settings")
