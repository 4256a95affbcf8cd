"""Audit trail pages for the audit administrator (审计管理员): browse, filter, read one
entry, export to Excel. Nobody else sees the trail."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from luoshi.core.audit import audit_record
from luoshi.core.choices import AuditAction
from luoshi.core.clock import now
from luoshi.core.decorators import perm_required
from luoshi.core.excel import Column, xlsx_response
from luoshi.core.forms_audit import AuditFilterForm
from luoshi.core.models import AuditEntry
from luoshi.core.permissions import Perm
from luoshi.core.selectors_audit import (
    action_label,
    audit_changes,
    audit_count,
    audit_entries,
    audit_entry_get,
    audit_page,
    changes_text,
    object_type_label,
)

# An export larger than this is refused with a request to narrow the filters: a partial
# audit export would look complete to whoever reads it later.
EXPORT_CAP = 100_000

_CURSORS = ("before", "after", "page")


def _cursor(request: HttpRequest, name: str) -> int | None:
    try:
        value = int(request.GET.get(name, ""))
    except ValueError:
        return None
    return value if value > 0 else None


def _filter_querystring(request: HttpRequest) -> str:
    params = request.GET.copy()
    for key in _CURSORS:
        params.pop(key, None)
    return params.urlencode()


def _row(entry: AuditEntry) -> dict[str, Any]:
    return {
        "entry": entry,
        "action_label": action_label(entry.action),
        "object_type_label": object_type_label(entry.object_type) if entry.object_type else "",
        "changes": audit_changes(entry),
        "full_name": entry.actor.full_name if entry.actor else "",
    }


@require_GET
@perm_required(Perm.VIEW_AUDIT)
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    filters = form.to_filter()
    page = audit_page(
        user=request.user,
        filters=filters,
        before=_cursor(request, "before"),
        after=_cursor(request, "after"),
    )
    total, capped = audit_count(user=request.user, filters=filters)
    query = _filter_querystring(request)
    return render(
        request,
        "core/audit_list.html",
        {
            "form": form,
            "rows": [_row(e) for e in page.entries],
            "page": page,
            "total": total,
            "capped": capped,
            "filtered": not filters.is_empty(),
            "query": query,
            "query_prefix": f"{query}&" if query else "",
            "export_url": reverse("core:audit_export") + (f"?{query}" if query else ""),
            "nav_section": "audit",
        },
    )


@require_GET
@perm_required(Perm.VIEW_AUDIT)
def audit_detail(request: HttpRequest, seq: int) -> HttpResponse:
    entry = audit_entry_get(user=request.user, seq=seq)
    if entry is None:
        raise Http404
    row = _row(entry)
    return render(
        request,
        "core/audit_detail.html",
        {
            **row,
            "before_json": _pretty(entry.before),
            "after_json": _pretty(entry.after),
            "has_next": audit_entry_get(user=request.user, seq=seq + 1) is not None,
            "nav_section": "audit",
        },
    )


def _pretty(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)


def _export_columns() -> list[Column]:
    return [
        Column(_("No."), 9),
        Column(_("Time"), 20),
        Column(_("Username"), 16),
        Column(_("Full name"), 12),
        Column(_("IP address"), 16),
        Column(_("Action"), 14),
        Column(_("Object type"), 14),
        Column(_("Object id"), 10),
        Column(_("Object"), 30, wrap=True),
        Column(_("Changes"), 50, wrap=True),
        Column(_("Hash"), 20),
    ]


def _export_rows(entries: Any) -> Iterator[list[Any]]:
    for e in entries.iterator(chunk_size=2000):
        yield [
            e.seq,
            e.created_at,
            e.actor_username,
            e.actor.full_name if e.actor else "",
            e.ip,
            action_label(e.action),
            object_type_label(e.object_type) if e.object_type else "",
            e.object_id,
            e.object_repr,
            changes_text(e),
            e.hash[:16],
        ]


@require_GET
@perm_required(Perm.VIEW_AUDIT)
def audit_export(request: HttpRequest) -> HttpResponse:
    """The filtered trail as .xlsx. The export is itself an audit entry, filters included."""
    form = AuditFilterForm(request.GET)
    filters = form.to_filter()
    total, capped = audit_count(user=request.user, filters=filters, cap=EXPORT_CAP)
    if capped:
        messages.error(
            request,
            _(
                "More than %(cap)s entries match these filters, too many for one Excel file. "
                "Narrow the date range or another filter and export again."
            )
            % {"cap": f"{EXPORT_CAP:,}"},
        )
        query = _filter_querystring(request)
        return redirect(reverse("core:audit_list") + (f"?{query}" if query else ""))

    stamp = timezone.localtime(now())
    # Fix the set being exported to what existed when the export began.
    entries = audit_entries(user=request.user, filters=filters)
    head = entries.values_list("seq", flat=True).first()
    if head is not None:
        entries = entries.filter(seq__lte=head)
    title = _("Audit trail (exported %(time)s)") % {"time": stamp.strftime("%Y-%m-%d %H:%M")}
    response, written = xlsx_response(
        filename=f"audit-{stamp:%Y%m%d-%H%M%S}.xlsx",
        title=title,
        columns=_export_columns(),
        rows=_export_rows(entries),
        sheet_name=_("Audit trail"),
        note=_filter_note(form) if not filters.is_empty() else "",
    )
    audit_record(
        action=AuditAction.EXPORT,
        actor=request.user,
        object_type="core.auditentry",
        object_repr=str(_("Audit trail")),
        after={"filters": filters.as_dict(), "rows": written},
    )
    return response


def _filter_note(form: AuditFilterForm) -> str:
    """The filters in words, above the header, so a printed sheet says what it contains."""
    parts = []
    for name, value in form.cleaned_data.items():
        if value in (None, ""):
            continue
        field = form.fields[name]
        shown = dict(field.choices).get(value, value) if hasattr(field, "choices") else value
        parts.append(f"{field.label}: {shown}")
    return _("Filters") + ": " + "; ".join(str(p) for p in parts)
