"""Shared test helpers: query counting and the unit-isolation access matrix."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


@contextmanager
def count_queries():
    """``with count_queries() as q: ...; len(q)`` — the queries run inside the block."""
    with CaptureQueriesContext(connection) as ctx:
        yield ctx


def queries_of(call: Callable[[], Any]) -> int:
    with count_queries() as ctx:
        response = call()
    status = getattr(response, "status_code", 200)
    assert status < 400, f"the measured call failed with {status}"
    return len(ctx.captured_queries)


def assert_queries_independent_of_size(call: Callable[[], Any], grow: Callable[[], None]) -> int:
    """Run ``call`` once, ``grow`` the data, run it again: the query count must not change.
    A page that queries once per row fails here long before production notices."""
    queries_of(call)  # warm caches (content types, sessions) so they do not count
    before = queries_of(call)
    grow()
    after = queries_of(call)
    assert before == after, f"query count grew with the data: {before} → {after}"
    return after
