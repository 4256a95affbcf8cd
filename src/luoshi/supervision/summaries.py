"""Stored list counts (lamps per list, overdue items per unit, leader and source): the one
place where a province-wide count is kept between requests.

A count is stored with the items' generation (``ItemsGeneration.n``, raised by database
triggers on every write of items or cooperating units, migration 0002) and the day's
cutoffs, and read back only while both are unchanged: what a page shows is what a fresh
count would show, as of today's lamp rules. The first request after a write, or of a new
day, counts again (a scan of the province's items); the ones after it read one row.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import connection

from luoshi.supervision.models import ItemsGeneration, ListSummary
from luoshi.supervision.rules import Cutoffs

T = TypeVar("T")
GENERATION = ItemsGeneration._meta.db_table
SUMMARY = ListSummary._meta.db_table


def _cutoffs_text(c: Cutoffs) -> str:
    return ",".join(d.isoformat() for d in dataclasses.astuple(c))


def cached(parts: tuple[Any, ...], cutoffs: Cutoffs, compute: Callable[[], T]) -> T:
    """``compute()`` (JSON-able), or its stored value for the same ``parts`` while the
    items and the day's cutoffs are what they were when it was stored: one query when
    stored, one more than ``compute`` when not."""
    key = hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()
    day = _cutoffs_text(cutoffs)
    # Plain SQL both databases read alike: the ORM's subquery cost more to build than to
    # run.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT g.n, s.data FROM {GENERATION} g LEFT JOIN {SUMMARY} s "
            'ON s."key" = %s AND s.cutoffs = %s AND s.generation = g.n WHERE g.id = 1',
            [key, day],
        )
        row = cursor.fetchone()
    if row is None:  # no generation row (a flushed test database): never store
        return compute()
    # The generation is read before counting: a write committed in between makes the
    # stored count newer than its generation, never older, and the next read counts again.
    generation, data = row
    if data is not None:
        return json.loads(data)
    value = compute()
    # One upsert: a row per key, overwritten in place (``prune`` clears keys not asked
    # for again); two requests storing the same key at once both succeed.
    ListSummary.objects.bulk_create(
        [ListSummary(key=key, generation=generation, cutoffs=day, data=json.dumps(value))],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["generation", "cutoffs", "data"],
    )
    return value


def prune(today: dt.date) -> int:
    """Delete the counts stored before ``today`` (the daily job): never read again."""
    return ListSummary.objects.exclude(cutoffs__startswith=today.isoformat()).delete()[0]
