"""The item ledger (督办台账) as an .xlsx: a title row, a two-row header with merged groups
(责任单位 over 牵头单位/配合单位, 时间 over the dates, 办理情况 over state, lamp and
feedback), one row per item the reader may see, filtered like the ledger page.

Rows stream through xlsxwriter's ``constant_memory`` mode and the items come from the
database in chunks, so a county's whole ledger does not sit in memory; the number of
queries does not depend on the number of items (one per chunk)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import IO, Any

import xlsxwriter
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from luoshi.supervision import selectors_api as selectors
from luoshi.supervision.choices import ItemLamp, ItemSource, ItemStatus, Priority
from luoshi.supervision.models import Feedback
from luoshi.supervision.selectors import Today

CHUNK = 2000
LEDGER_EXPORT = "supervision.ledger"
# Above this many items the ledger is written by the worker (``core.exports``): about
# 0.3 ms an item, so a province's 200,000 would keep the browser waiting past the server's
# 30-second limit.
EXPORT_NOW_MAX = 5000


@dataclass(frozen=True)
class LedgerColumn:
    key: str
    header: str
    width: float
    group: str = ""  # the merged header above it, if any
    wrap: bool = False


def columns() -> list[LedgerColumn]:
    unit, time, state = _("Responsible units"), _("Dates"), _("Handling")
    return [
        LedgerColumn("seq", _("No."), 6),
        LedgerColumn("code", _("Item number"), 14),
        LedgerColumn("title", _("Item title"), 28, wrap=True),
        LedgerColumn("content", _("Content and requirements"), 40, wrap=True),
        LedgerColumn("source", _("Source"), 14),
        LedgerColumn("source_ref", _("Source reference"), 16),
        LedgerColumn("lead", _("Lead unit"), 18, unit),
        LedgerColumn("cooperating", _("Cooperating units"), 22, unit, wrap=True),
        LedgerColumn("leader", _("Responsible leader"), 10),
        LedgerColumn("priority", _("Priority"), 8),
        LedgerColumn("issued_on", _("Issued on"), 11, time),
        LedgerColumn("accepted_on", _("Accepted on"), 11, time),
        LedgerColumn("deadline", _("Deadline"), 11, time),
        LedgerColumn("original_deadline", _("Original deadline"), 11, time),
        LedgerColumn("closed_on", _("Closed on"), 11, time),
        LedgerColumn("status", _("Status"), 10, state),
        LedgerColumn("lamp", _("Lamp"), 7, state),
        LedgerColumn("reason", _("Why this lamp"), 30, state, wrap=True),
        LedgerColumn("feedback_count", _("Feedback count"), 8, state),
        LedgerColumn("feedback_on", _("Latest feedback on"), 11, state),
        LedgerColumn("feedback", _("Latest feedback"), 36, state, wrap=True),
    ]


LAMP_COLOURS = {
    ItemLamp.RED: "#F8D7DA",
    ItemLamp.YELLOW: "#FFF3CD",
    ItemLamp.GREEN: "#D4EDDA",
    ItemLamp.DONE: "#E2E3E5",
}


def ledger_items(user: Any, today: Today, filters: dict[str, Any]) -> Any:
    latest = Feedback.objects.filter(item=OuterRef("pk"), returned_at__isnull=True).order_by(
        "-reported_on", "-id"
    )
    qs = selectors.item_filter(user, today, **filters)
    return (
        selectors.with_related(qs)
        .annotate(
            feedback_count=Count("feedbacks", filter=Q(feedbacks__returned_at__isnull=True)),
            latest_feedback=Subquery(latest.values("text")[:1]),
            latest_feedback_on=Subquery(latest.values("reported_on")[:1]),
        )
        .order_by("deadline", "id")
    )


def _row(n: int, item: Any, today: Today) -> dict[str, Any]:
    lamp = today.lamp(item)
    return {
        "seq": n,
        "code": item.code,
        "title": item.title,
        "content": item.content,
        "source": str(ItemSource(item.source).label),
        "source_ref": item.source_ref,
        "lead": item.lead_unit.name,
        "cooperating": "、".join(u.name for u in item.cooperating_units.all()),
        "leader": item.responsible_leader.name if item.responsible_leader else "",
        "priority": str(Priority(item.priority).label),
        "issued_on": item.issued_on,
        "accepted_on": item.accepted_on,
        "deadline": item.deadline,
        "original_deadline": item.original_deadline,
        "closed_on": item.closed_on,
        "status": str(ItemStatus(item.status).label),
        "lamp": str(ItemLamp(lamp).label),
        "_lamp": lamp,
        "reason": today.reason(item),
        "feedback_count": item.feedback_count,
        "feedback_on": item.latest_feedback_on,
        "feedback": item.latest_feedback or "",
    }


def title_for(today: dt.date) -> str:
    return _("Supervision item ledger (%(date)s)") % {"date": today.isoformat()}


def write_ledger(fh: IO[bytes], *, user: Any, today: Today, filters: dict[str, Any]) -> int:
    """Write the ledger of the items ``user`` may see to ``fh``; returns the rows written."""
    cols = columns()
    wb = xlsxwriter.Workbook(
        fh, {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    try:
        sheet = wb.add_worksheet(_("Ledger")[:31])
        title_fmt = wb.add_format(
            {"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}
        )
        head = wb.add_format(
            {
                "bold": True,
                "bg_color": "#EEF1F6",
                "border": 1,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            }
        )
        cell = wb.add_format({"valign": "top", "border": 1})
        wrap = wb.add_format({"valign": "top", "border": 1, "text_wrap": True})
        day = wb.add_format({"valign": "top", "border": 1, "num_format": "yyyy-mm-dd"})
        lamps = {
            k: wb.add_format({"valign": "top", "border": 1, "bg_color": v})
            for k, v in LAMP_COLOURS.items()
        }
        for i, c in enumerate(cols):
            sheet.set_column(i, i, c.width)
        last = len(cols) - 1
        sheet.set_row(0, 24)
        sheet.merge_range(0, 0, 0, last, title_for(today.cutoffs.today), title_fmt)
        # constant_memory writes strictly row by row: the group row first, then the row
        # below; a column without a group is merged over both rows afterwards (its top
        # cell is already written, the merge only adds the range and the blank below).
        i = 0
        while i <= last:
            group = cols[i].group
            if not group:
                sheet.write_string(1, i, cols[i].header, head)
                i += 1
                continue
            j = i
            while j + 1 <= last and cols[j + 1].group == group:
                j += 1
            if j > i:
                sheet.merge_range(1, i, 1, j, group, head)
            else:
                sheet.write_string(1, i, group, head)
            i = j + 1
        for i, c in enumerate(cols):
            if c.group:
                sheet.write_string(2, i, c.header, head)
            else:
                sheet.merge_range(1, i, 2, i, c.header, head)
        sheet.freeze_panes(3, 3)

        r, n = 2, 0
        for item in ledger_items(user, today, filters).iterator(chunk_size=CHUNK):
            n += 1
            r += 1
            values = _row(n, item, today)
            for c, col in enumerate(cols):
                value = values[col.key]
                if value is None or value == "":
                    sheet.write_blank(r, c, None, cell)
                elif isinstance(value, dt.date):
                    sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), day)
                elif isinstance(value, int):
                    sheet.write_number(r, c, value, cell)
                elif col.key == "lamp":
                    sheet.write_string(r, c, value, lamps.get(values["_lamp"], cell))
                else:
                    sheet.write_string(r, c, str(value), wrap if col.wrap else cell)
        sheet.autofilter(2, 0, max(r, 2), last)
    finally:
        wb.close()
    return n


def ledger_count(*, user: Any, today: Today, filters: dict[str, Any]) -> int:
    """How many items the ledger export of ``filters`` would hold."""
    return selectors.item_filter(user, today, **filters).count()


def write_ledger_export(fh: IO[bytes], user: Any, params: dict[str, Any]) -> int:
    """The ledger as the worker writes it (``core.exports``): as of the day it runs."""
    from luoshi.supervision.selectors import today_rules

    return write_ledger(fh, user=user, today=today_rules(), filters=params)
