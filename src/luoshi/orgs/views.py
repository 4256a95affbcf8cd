"""Organisation pages (stubs, to be built)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


unit_list = unitclass_list = leader_list = user_list = role_list = _todo
