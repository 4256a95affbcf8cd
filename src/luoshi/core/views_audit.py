"""Audit trail pages for the audit administrator (stub; see issue 3)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def audit_list(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def audit_export(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
