"""The project list, rendered through ``core.tables`` (see there for why)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from luoshi.core.money import format_money
from luoshi.core.tables import Column, link, render_table
from luoshi.projects.choices import Lamp


def lamp_badge(lamp: str, labels: dict[str, str], reason: str = "") -> SafeString:
    """A coloured dot and the lamp's name; the reason as a tooltip."""
    if not lamp:
        return mark_safe('<span class="lamp lamp-none">—</span>')
    title = f' title="{conditional_escape(reason)}"' if reason else ""
    return mark_safe(
        f'<span class="lamp lamp-{conditional_escape(lamp)}"{title}>'
        f"{conditional_escape(labels.get(lamp, lamp))}</span>"
    )


def ratio_percent(ratio: Decimal | None) -> str:
    if ratio is None:
        return ""
    return f"{(ratio * 100).quantize(Decimal('0.1'))}%"


def project_table(rows: Iterable[dict[str, Any]], *, filtered: bool) -> SafeString:
    """Rows of ``selectors.project_rows_page``: code, name (to the project's page),
    category, stage, responsible unit, leaders, annual plan, actual year to date, ratio,
    lamp."""
    base = reverse("projects:project_list")
    labels = {value: str(label) for value, label in Lamp.choices}
    columns = [
        Column(_("Code"), lambda r: r["code"], "nowrap"),
        Column(_("Project name"), lambda r: link(f"{base}{r['pk']}/", r["name"])),
        Column(_("Category"), lambda r: r["category__name"], "hide-narrow"),
        Column(_("Stage"), lambda r: r["stage_label"], "hide-narrow"),
        Column(
            _("Responsible unit"),
            lambda r: r["responsible_unit__short_name"] or r["responsible_unit__name"],
        ),
        Column(_("Responsible leaders"), lambda r: "、".join(r["leaders"]), "hide-narrow"),
        Column(_("Annual plan (10k yuan)"), lambda r: format_money(r["annual_plan"]), "num"),
        Column(
            _("Completed YTD (10k yuan)"),
            lambda r: format_money(r["actual_ytd"]) if r["actual_ytd"] is not None else "",
            "num",
        ),
        Column(_("Completion ratio"), lambda r: ratio_percent(r["ratio"]), "num"),
        Column(_("Lamp"), lambda r: lamp_badge(r["lamp"], labels, r["reason"]), "nowrap"),
    ]
    empty = _("No project matches these filters.") if filtered else _("No projects yet.")
    return render_table(columns, rows, empty=empty)
