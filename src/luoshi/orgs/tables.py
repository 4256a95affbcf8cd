"""The organisation's long lists, rendered through ``core.tables`` (see there for why)."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from luoshi.core.tables import Column, link, render_table, tag


def unit_table(units: Iterable[dict], *, filtered: bool) -> SafeString:
    """Rows of ``selectors.unit_rows``: code, name (to the unit's page), class, parent,
    numbers of accounts and sub-units (to the filtered list), status."""
    base = reverse("orgs:unit_list")
    active, inactive = tag(_("Active")), tag(_("Inactive"), "off")
    columns = [
        Column(_("Code"), lambda u: u["code"]),
        Column(_("Name"), lambda u: link(f"{base}{u['pk']}/", u["name"])),
        Column(_("Short name"), lambda u: u["short_name"], "hide-narrow"),
        Column(_("Unit class"), lambda u: u["unit_class__name"]),
        Column(_("Parent unit"), lambda u: u["parent__name"], "hide-narrow"),
        Column(_("Users"), lambda u: u["user_count"], "num"),
        Column(
            _("Sub-units"),
            lambda u: link(f"?parent={u['pk']}", u["child_count"]) if u["child_count"] else 0,
            "num hide-narrow",
        ),
        Column(_("Status"), lambda u: active if u["is_active"] else inactive),
    ]
    empty = _("No unit matches these filters.") if filtered else _("No units yet.")
    return render_table(columns, units, empty=empty)
