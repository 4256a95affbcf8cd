"""Paging helpers for lists whose rows are cheaper to fetch some other way than by
slicing one big ordered query."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator


def page_of(rows_for: Any, *, count: int, number: Any, per_page: int) -> Page:
    """The page ``number`` (lenient like ``Paginator.get_page``: bad or out-of-range numbers
    give the first or last page) of a list of ``count`` items, whose rows are fetched by
    ``rows_for(offset, limit)``."""
    paginator = Paginator(range(count), per_page)  # a range counts and slices for free
    try:
        number = paginator.validate_number(number)
    except PageNotAnInteger:
        number = 1
    except EmptyPage:
        number = paginator.num_pages
    offset = (number - 1) * per_page
    rows: Sequence[Any] = rows_for(offset, per_page) if count else []
    return Page(list(rows), number, paginator)


def page_of_queryset(qs: Any, *, number: Any, per_page: int) -> Page:
    """``Paginator(qs, per_page).get_page(number)`` without its COUNT query when the first
    page is asked for and holds every row (a unit's few dozen projects): the rows are read
    with one more than a page, and counted in Python."""
    if number in (None, "", "1", 1):
        rows = list(qs[: per_page + 1])
        if len(rows) <= per_page:
            return Page(rows, 1, Paginator(range(len(rows)), per_page))
    return Paginator(qs, per_page).get_page(number)
