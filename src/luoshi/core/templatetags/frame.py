"""The page frame's top bar, rendered once per (language, user, menu, section, badge) and
kept by the process: through the template engine, its two dozen tags cost half a
millisecond on every page. What differs per request (the CSRF token, the page's own
address for the language switch) is put in after."""

from __future__ import annotations

from typing import Any

from django import template
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

_TOKEN = "\x00csrf\x00"
_NEXT = "\x00next\x00"
_CACHE: dict[tuple[Any, ...], str] = {}
_MAX = 4096  # distinct (user, section, badge) bars kept; cleared whole beyond


@register.simple_tag(takes_context=True)
def topbar(context: Any) -> SafeString:
    request = context.get("request")
    user = context.get("user")
    authenticated = bool(user is not None and user.is_authenticated)
    nav_items = context.get("nav_items") or []
    unit = getattr(user, "unit", None) if authenticated else None
    values = {
        "authenticated": authenticated,
        "password_expired": bool(authenticated and user.password_expired()),
        "nav_items": nav_items,
        "nav_section": context.get("nav_section") or "",
        "unread_notifications": context.get("unread_notifications"),
        "display_name": user.display_name if authenticated else "",
        "unit_label": (unit.short_name or unit.name) if unit is not None else "",
        "LANGUAGE_CODE": get_language(),
    }
    key = (
        tuple((k, v) for k, v in values.items() if k != "nav_items"),
        tuple((i["url"], i["section"], str(i["label"])) for i in nav_items),
    )
    html = _CACHE.get(key)
    if html is None:
        html = render_to_string(
            "includes/topbar.html", {**values, "csrf_token": _TOKEN, "next_path": _NEXT}
        )
        if len(_CACHE) >= _MAX:
            _CACHE.clear()
        _CACHE[key] = html
    token = get_token(request) if request is not None else ""
    path = escape(request.get_full_path()) if request is not None else ""
    return mark_safe(html.replace(_TOKEN, token).replace(_NEXT, path))  # noqa: S308 - escaped
