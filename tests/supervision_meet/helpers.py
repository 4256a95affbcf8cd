"""Items in a known lamp on ``TODAY``, and a query counter for pages."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from luoshi.supervision.choices import ItemStatus
from tests.supervision.factories import ItemFactory

TODAY = dt.date(2026, 4, 15)  # a Wednesday, no holiday near


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def green(**kw):
    """Accepted, fed back yesterday, deadline far."""
    return ItemFactory(
        **{
            "status": ItemStatus.IN_PROGRESS,
            "issued_on": dt.date(2026, 4, 1),
            "acceptance_due": dt.date(2026, 4, 2),
            "accepted_on": dt.date(2026, 4, 2),
            "last_feedback_on": dt.date(2026, 4, 14),
            "deadline": dt.date(2026, 6, 30),
            **kw,
        }
    )


def yellow(**kw):
    """The deadline is two working days away."""
    return green(**{"deadline": dt.date(2026, 4, 17), **kw})


def red(**kw):
    """The deadline was last Friday."""
    return green(**{"deadline": dt.date(2026, 4, 10), **kw})


def to_accept(**kw):
    """Issued today: to accept by tomorrow (green)."""
    return ItemFactory(
        **{
            "status": ItemStatus.ISSUED,
            "issued_on": TODAY,
            "acceptance_due": dt.date(2026, 4, 16),
            "deadline": dt.date(2026, 6, 30),
            **kw,
        }
    )


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)
