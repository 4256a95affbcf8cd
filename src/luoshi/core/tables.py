"""Tables rendered in Python for the long lists.

A 50-row list rendered cell by cell through the template engine costs several times what
the rest of the page costs (every cell is a variable lookup, a filter and an escape). Lists
declare their columns here once and render the body with plain string joins; every value
still goes through ``conditional_escape``, and links are built with ``format_html``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

EMPTY = "—"


@dataclass(frozen=True)
class Column:
    """One column: its header, how to get the cell from a row, and a CSS class
    (``num`` right-aligns figures, ``hide-narrow`` hides the column on a phone)."""

    header: Any
    value: Callable[[Any], Any]
    css: str = ""


def link(url: str, text: Any) -> SafeString:
    # What format_html does, without its per-call overhead (this runs once per row).
    return mark_safe(f'<a href="{conditional_escape(url)}">{conditional_escape(text)}</a>')


def tag(text: Any, css: str = "") -> SafeString:
    return format_html('<span class="tag {}">{}</span>', css, text)


def render_table(columns: list[Column], rows: Iterable[Any], *, empty: Any) -> SafeString:
    """The whole ``<table>``: header row, one row per item, or one row saying ``empty``."""
    head = "".join(f'<th class="{c.css}">{conditional_escape(c.header)}</th>' for c in columns)
    body: list[str] = []
    for row in rows:
        cells = []
        for c in columns:
            value = c.value(row)
            if value is None or value == "":
                value = EMPTY
            elif type(value) is not int:  # figures need no escaping; everything else does
                value = conditional_escape(value)
            cells.append(f'<td class="{c.css}">{value}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    if not body:
        body.append(
            f'<tr><td colspan="{len(columns)}" class="empty">{conditional_escape(empty)}</td></tr>'
        )
    return mark_safe(  # every piece above was escaped
        f'<table class="table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )
