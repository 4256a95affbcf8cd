"""The supervision settings page in the access matrix: the office only."""

from __future__ import annotations

from tests.access_matrix import Endpoint, register

OFFICE = frozenset({"officer"})
SETTINGS = {
    "acceptance_working_days": "1",
    "remind_before_working_days": "3",
    "yellow_within_working_days": "3",
    "feedback_stale_days": "10",
    "escalate_after_days": "5",
    "overdue_remind_every_days": "3",
}

register(
    Endpoint(
        "supervision settings page", lambda c: "/supervision/settings/", OFFICE, denied=(403,)
    ),
    Endpoint(
        "supervision settings save",
        lambda c: "/supervision/settings/",
        OFFICE,
        method="post",
        data=lambda c: dict(SETTINGS),
        ok=(302,),
        denied=(403,),
    ),
)
