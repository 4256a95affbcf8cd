"""The project list, rendered through ``core.tables`` (see there for why)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from luoshi.core.money import format_money
from luoshi.core.tables import Column, esc, link, render_table
from luoshi.projects.choices import Lamp, ReportStatus


def lamp_badge(lamp: str, labels: dict[str, str], reason: str = "") -> SafeString:
    """A coloured dot and the lamp's name; the reason as a tooltip."""
    if not lamp:
        return mark_safe('<span class="lamp lamp-none">—</span>')
    title = f' title="{esc(reason)}"' if reason else ""
    return mark_safe(
        f'<span class="lamp lamp-{esc(lamp)}"{title}>{esc(labels.get(lamp, lamp))}</span>'
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


def report_history_table(reports: Iterable[dict[str, Any]]) -> SafeString:
    """The report history on a project's page (rows of ``selectors.project_page``):
    period (late marked), status, this month and year to date in 万元, progress with
    photos, problems and help needed."""
    late = f' <span class="tag bad">{esc(_("Late"))}</span>'
    help_label = esc(_("Help needed:"))
    photo_alt = esc(_("Photo"))
    statuses = {value: str(label) for value, label in ReportStatus.choices}

    def period(r: dict[str, Any]) -> SafeString:
        text = f"{r['period__year']}-{r['period__month']:02d}"
        return mark_safe(text + (late if r["is_late"] else ""))

    def progress(r: dict[str, Any]) -> SafeString:
        html = f'<span class="pre-line">{esc(r["progress_text"] or "—")}</span>'
        if r["physical_progress"] is not None:
            html += f' <span class="muted">({r["physical_progress"]}%)</span>'
        if r["photos"]:
            html += (
                '<div class="thumbs">'
                + "".join(
                    f'<a href="{reverse("projects:report_photo", args=[p["pk"]])}">'
                    f'<img src="{reverse("projects:report_photo_thumb", args=[p["pk"]])}"'
                    f' alt="{esc(p["caption"]) or photo_alt}" loading="lazy"></a>'
                    for p in r["photos"]
                )
                + "</div>"
            )
        return mark_safe(html)

    def problems(r: dict[str, Any]) -> SafeString:
        html = f'<span class="pre-line">{esc(r["problems"] or "—")}</span>'
        if r["help_needed"]:
            html += f'<br><span class="muted">{help_label}</span> {esc(r["help_needed"])}'
        return mark_safe(html)

    columns = [
        Column(_("Period"), period, "nowrap"),
        Column(_("Status"), lambda r: statuses.get(r["status"], r["status"])),
        Column(_("This month (10k yuan)"), lambda r: format_money(r["investment_month"]), "num"),
        Column(_("Year to date (10k yuan)"), lambda r: format_money(r["investment_ytd"]), "num"),
        Column(_("Progress"), progress),
        Column(_("Problems met"), problems, "hide-narrow"),
    ]
    return render_table(columns, reports, empty=_("No reports yet."))
