"""Tables rendered in Python for the long lists.

A 50-row list rendered cell by cell through the template engine costs several times what
the rest of the page costs (every cell is a variable lookup, a filter and an escape). Lists
declare their columns here once and render the body with plain string joins; every value
still goes through ``conditional_escape``, and links are built with ``format_html``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape as _html_escape
from typing import Any

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

EMPTY = "—"


def esc(value: Any) -> str:
    """``conditional_escape`` for the hot loops: the same result (safe strings pass, the
    rest goes through the same escaping as Django's ``escape``), without the lazy-argument
    check that Django's wrapper makes on every call — a third of a long table's cost."""
    if hasattr(value, "__html__"):
        return value.__html__()
    text = str(value)
    # Most cells (names, codes, figures) have nothing to escape: five scans in C are
    # cheaper than five replacements.
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return _html_escape(text)
    return text


@dataclass(frozen=True)
class Column:
    """One column: its header, how to get the cell from a row, and a CSS class
    (``num`` right-aligns figures, ``hide-narrow`` hides the column on a phone)."""

    header: Any
    value: Callable[[Any], Any]
    css: str = ""


def link(url: str, text: Any) -> SafeString:
    # What format_html does, without its per-call overhead (this runs once per row).
    return mark_safe(f'<a href="{esc(url)}">{esc(text)}</a>')


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
                value = esc(value)
            cells.append(f'<td class="{c.css}">{value}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    if not body:
        body.append(
            f'<tr><td colspan="{len(columns)}" class="empty">{conditional_escape(empty)}</td></tr>'
        )
    return mark_safe(  # every piece above was escaped
        f'<table class="table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )


def options(choices: Iterable[tuple[Any, Any]], selected: Any = None) -> SafeString:
    """``<option>`` elements of a filter's ``<select>`` from (value, label) pairs, the one
    equal to ``selected`` marked. A province's leader or unit filter has hundreds of options:
    through the template engine they cost more than the rest of the page."""
    selected = "" if selected is None else str(selected)
    out = []
    for value, label in choices:
        value = str(value)
        mark = " selected" if value == selected else ""
        out.append(f'<option value="{esc(value)}"{mark}>{esc(label)}</option>')
    return mark_safe("".join(out))  # every value and label escaped above
