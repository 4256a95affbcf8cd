"""The supervision notice (督办单): the one-page Word document the office prints, stamps and
hands to the lead unit with an item. Laid out after the official-document habits
(GB/T 9704): the issuing office and a bold title, a table of the item's particulars, the
requirements, the issuing office and date at the right, and the receipt lines the unit
signs (签收人, 签收时间)."""

from __future__ import annotations

import datetime as dt
import io

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from luoshi.supervision.choices import ItemSource
from luoshi.supervision.models import Item, SupervisionSettings

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"


def _font(run, name: str, size: float, *, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    # East-Asian text takes the eastAsia font, not the ASCII one.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(
    doc, text: str, *, size: float = 14, font: str = BODY_FONT, bold: bool = False, align=None
):  # type: ignore[no-untyped-def]
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    _font(p.add_run(text), font, size, bold=bold)
    return p


def _date(day: dt.date) -> str:
    return _("%(y)s-%(m)s-%(d)s") % {"y": day.year, "m": day.month, "d": day.day}


def issuing_office() -> str:
    return getattr(settings, "LUOSHI_SUPERVISION_OFFICE", "") or _(
        "County Government Supervision Office"
    )


def _source(item: Item) -> str:
    text = str(ItemSource(item.source).label)
    if item.decision_id:
        meeting = item.decision.meeting
        text = _("%(source)s: %(meeting)s, decision No. %(n)s") % {
            "source": text,
            "meeting": meeting.title,
            "n": item.decision.number,
        }
    if item.source_ref:
        text += f"（{item.source_ref}）"
    return text


def notice_rows(item: Item) -> list[tuple[str, str]]:
    """The particulars of the notice, label and value, in the order printed."""
    cooperating = "、".join(u.name for u in item.cooperating_units.all()) or "—"
    leader = item.responsible_leader
    deadline = _date(item.deadline)
    if item.deadline != item.original_deadline:
        deadline += _(" (extended from %(date)s)") % {"date": _date(item.original_deadline)}
    rows = [
        (_("Item number"), item.code),
        (pgettext("item", "Title"), item.title),
        (_("Source"), _source(item)),
    ]
    if item.instruction_leader_id or item.instruction_text:
        who = item.instruction_leader.name if item.instruction_leader_id else ""
        rows.append((_("Leader's instruction"), f"{who}：{item.instruction_text}".strip("：")))
    rows += [
        (_("Content and requirements"), item.content),
        (_("Lead unit"), item.lead_unit.name),
        (_("Cooperating units"), cooperating),
        (_("Responsible leader"), f"{leader.name} {leader.title}".strip() if leader else "—"),
        (_("Priority"), item.get_priority_display()),
        (_("Issued on"), _date(item.issued_on)),
        (_("Accept by"), _date(item.acceptance_due)),
        (pgettext("item", "Deadline"), deadline),
    ]
    return rows


def requirements() -> list[str]:
    stale_days = SupervisionSettings.current().feedback_stale_days
    return [
        _("1. Accept the item on the platform by the acceptance date."),
        _("2. Post progress feedback on the platform at least every %(n)s days.")
        % {"n": stale_days},
        _(
            "3. When the work is done, request closure with the evidence attached; "
            "the supervision office verifies it before closing the item."
        ),
        _(
            "4. If the deadline cannot be met, request an extension with the reason "
            "before the deadline."
        ),
    ]


def notice_filename(item: Item) -> str:
    return _("Supervision notice %(code)s.docx") % {"code": item.code}


def notice_docx(item: Item) -> bytes:
    """The 督办单 of ``item`` as .docx bytes. Dated the day the item was issued, so that a
    reprint is the same document."""
    doc = Document()
    section = doc.sections[0]
    # A4 with the official-document margins (37 mm top, 28 mm left).
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    _paragraph(doc, issuing_office(), size=16, font=HEADING_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(
        doc,
        _("Supervision Notice"),
        size=22,
        font=TITLE_FONT,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _paragraph(
        doc, _("No. %(code)s") % {"code": item.code}, size=14, align=WD_ALIGN_PARAGRAPH.RIGHT
    )

    rows = notice_rows(item)
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[0].width, row.cells[1].width = Cm(3.6), Cm(12.0)
        label_p = row.cells[0].paragraphs[0]
        _font(label_p.add_run(label), HEADING_FONT, 12)
        lines = str(value).splitlines() or [""]
        first = row.cells[1].paragraphs[0]
        _font(first.add_run(lines[0]), BODY_FONT, 12)
        for line in lines[1:]:
            _font(row.cells[1].add_paragraph().add_run(line), BODY_FONT, 12)

    _paragraph(doc, _("Requirements"), size=14, font=HEADING_FONT)
    for line in requirements():
        _paragraph(doc, line, size=14)

    doc.add_paragraph()
    _paragraph(doc, issuing_office(), size=14, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, _date(item.issued_on), size=14, align=WD_ALIGN_PARAGRAPH.RIGHT)

    doc.add_paragraph()
    _paragraph(doc, _("Receipt (to be filled in by the lead unit)"), size=14, font=HEADING_FONT)
    _paragraph(doc, _("Received by (signature): ____________    Date: ____________"), size=14)
    _paragraph(doc, _("Unit head (signature): ____________    Unit seal:"), size=14)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
