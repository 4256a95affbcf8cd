"""The user's own settings page: password and personal access tokens (stub)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    return render(request, "orgs/account_settings.html", {})
