from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, reverse

from luoshi.core.navigation import NAV
from luoshi.core.permissions import perms_of

# The entries' addresses never change while the process runs (for one script prefix):
# reversing a dozen of them on every page cost as much as the page's own query.
_URLS: dict[tuple[str, str], str | None] = {}


def _url(name: str) -> str | None:
    key = (get_script_prefix(), name)
    if key not in _URLS:
        try:
            _URLS[key] = reverse(name)
        except NoReverseMatch:
            _URLS[key] = None
    return _URLS[key]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    perms = perms_of(user)
    items = []
    seen: set[str] = set()
    for item in NAV:
        # An entry may be listed once per capability that opens it; show it once.
        if (item.perm is not None and item.perm not in perms) or item.url_name in seen:
            continue
        if item.when is not None and not item.when(user):
            continue
        seen.add(item.url_name)
        url = _url(item.url_name)
        if url is None:
            continue
        items.append({"url": url, "label": item.label, "section": item.section})
    return {"nav_items": items, "user_perms": {str(p) for p in perms}}


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The unread figure for the top bar's badge: one small query (no COUNT), nothing for
    anonymous visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from luoshi.core.notifications import unread_badge

    return {"unread_notifications": unread_badge(user=user)}
