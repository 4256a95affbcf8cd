"""Batch sizes for bulk writes and ``__in`` lookups: one statement may carry at most so many
parameters — 999 on SQLite as Django counts them, 65,535 in PostgreSQL's wire protocol."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

from django.db import connection

T = TypeVar("T")
_POSTGRES_LIMIT = 65535


def max_params() -> int:
    return connection.features.max_query_params or _POSTGRES_LIMIT


def rows_per_statement(params_per_row: int) -> int:
    """How many rows of ``params_per_row`` parameters fit in one statement (a margin of
    one parameter a row for the bulk update's CASE and the pk list)."""
    return max(1, max_params() // (params_per_row + 1))


def chunks(items: Sequence[T], size: int | None = None) -> Iterator[Sequence[T]]:
    """``items`` in slices small enough for one ``__in`` lookup."""
    size = size or (max_params() - 100)
    for i in range(0, len(items), size):
        yield items[i : i + size]
