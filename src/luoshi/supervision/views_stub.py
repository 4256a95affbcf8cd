"""Placeholder for routes whose page is being built in a parallel branch; 404 until then."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def pending(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
