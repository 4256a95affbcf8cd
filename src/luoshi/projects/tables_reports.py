"""The long tables of the report workflow, rendered through ``core.tables``."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from luoshi.core.money import format_money
from luoshi.core.tables import Column, link, render_table, tag
from luoshi.projects.choices import ReportStatus

STATUS_CSS = {
    ReportStatus.DRAFT: "off",
    ReportStatus.RETURNED: "bad",
    ReportStatus.SUBMITTED: "",
    ReportStatus.APPROVED: "",
    ReportStatus.ACCEPTED: "ok",
}


def status_tag(status: str | None) -> SafeString:
    if not status:
        return tag(_("Not started"), "off")
    return tag(ReportStatus(status).label, STATUS_CSS.get(status, ""))


def _money(value) -> str | None:
    return None if value is None else format_money(value)


def reporting_table(
    rows: Iterable[dict],
    *,
    can_fill: bool,
    can_approve: bool,
    period_open: bool,
    period_locked: bool,
) -> SafeString:
    """The unit's projects for the period: status and the next step for this user. New
    reports start only in the open period; a draft or returned report of an earlier period
    can still be finished until the period is locked."""
    base = reverse("projects:reporting")
    late = tag(_("Late"), "bad")
    fill_label, edit_label, open_label = _("Fill in"), _("Edit"), _("View")
    review_label = _("Review")

    def action(r: dict) -> SafeString | str:
        rid, status = r["report_id"], r["report_status"]
        if rid is None:
            if can_fill and period_open and not period_locked:
                return link(f"{base}new/{r['pk']}/", fill_label)
            return ""
        editable = status in (ReportStatus.DRAFT, ReportStatus.RETURNED)
        if can_fill and not period_locked and editable:
            return link(f"{base}{rid}/edit/", edit_label)
        if can_approve and status == ReportStatus.SUBMITTED:
            return link(f"{base}{rid}/", review_label)
        return link(f"{base}{rid}/", open_label)

    columns = [
        Column(_("Code"), lambda r: r["code"]),
        Column(_("Project"), lambda r: r["name"]),
        Column(_("Category"), lambda r: r["category__name"], "hide-narrow"),
        Column(
            _("Status"),
            lambda r: mark_safe(
                status_tag(r["report_status"]) + (late if r["report_late"] else "")
            ),
        ),
        Column(_("This month (10k yuan)"), lambda r: _money(r["report_month"]), "num"),
        Column(_("Year to date (10k yuan)"), lambda r: _money(r["report_ytd"]), "num hide-narrow"),
        Column(_("Next step"), action),
    ]
    return render_table(columns, rows, empty=_("Your unit has no key projects this year."))


def queue_table(rows: Iterable[dict], *, csrf_token: str) -> SafeString:
    """Approved reports waiting for the office: accept at once, or open to return."""
    base = reverse("projects:reporting")
    token = conditional_escape(csrf_token)
    accept, open_label = conditional_escape(_("Accept")), _("Open or return")
    late, coord = tag(_("Late"), "bad"), tag(_("Coordination"))

    def actions(r: dict) -> SafeString:
        form = (
            f'<form method="post" action="{base}{r["pk"]}/accept/" class="inline">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
            f'<input type="hidden" name="next" value="review">'
            f'<button type="submit" class="btn btn-small btn-primary">{accept}</button></form>'
        )
        return mark_safe(form + " " + link(f"{base}{r['pk']}/", open_label))

    columns = [
        Column(_("Unit"), lambda r: r["unit__name"]),
        Column(_("Code"), lambda r: r["project__code"], "hide-narrow"),
        Column(
            _("Project"),
            lambda r: mark_safe(
                link(f"{base}{r['pk']}/", r["project__name"])
                + (" " + late if r["is_late"] else "")
                + (" " + coord if r["needs_coordination"] else "")
            ),
        ),
        Column(_("This month (10k yuan)"), lambda r: _money(r["investment_month"]), "num"),
        Column(_("Year to date (10k yuan)"), lambda r: _money(r["investment_ytd"]), "num"),
        Column(_("Actions"), actions),
    ]
    return render_table(columns, rows, empty=_("No approved report is waiting."))


def unit_count_table(rows: Iterable[dict]) -> SafeString:
    columns = [
        Column(_("Unit"), lambda r: r["unit"]),
        Column(_("Projects"), lambda r: r["projects"], "num"),
        Column(_("Reported"), lambda r: r["reported"], "num"),
        Column(
            _("Not reported"),
            lambda r: tag(str(r["missing"]), "bad") if r["missing"] else 0,
            "num",
        ),
        Column(_("Late"), lambda r: tag(str(r["late"]), "bad") if r["late"] else 0, "num"),
        Column(_("Waiting"), lambda r: r["waiting"], "num"),
        Column(_("Accepted"), lambda r: r["accepted"], "num"),
    ]
    return render_table(columns, rows, empty=_("No unit has key projects this year."))


def coordination_table(rows: Iterable[dict], *, can_issue: bool = False) -> SafeString:
    base = reverse("projects:reporting")
    columns = [
        Column(_("Unit"), lambda r: r["unit__name"]),
        Column(_("Project"), lambda r: link(f"{base}{r['pk']}/", r["project__name"])),
        Column(_("Problems met"), lambda r: r["problems"]),
        Column(_("Help needed"), lambda r: r["help_needed"]),
    ]
    if can_issue:
        # The office turns the problem into a supervision item (督办事项) on the issue form.
        issue = reverse("supervision:item_issue")
        columns.append(
            Column(
                "",
                lambda r: link(f"{issue}?report={r['pk']}", _("Turn into a supervision item")),
                "nowrap",
            )
        )
    return render_table(columns, rows, empty=_("No problem is marked for coordination."))
