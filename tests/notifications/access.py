"""The notification centre in the access matrix: every signed-in user reads their own
notifications (administrators too: a reminder may reach anyone); the list of reminder
deliveries is the office's (who accepts reports)."""

from __future__ import annotations

from django.urls import reverse

from tests.access_matrix import ALL_ROLES, Endpoint, register

register(
    Endpoint(
        name="notifications:list",
        url=lambda c: reverse("core:notification_list"),
        allowed=frozenset(ALL_ROLES),
    ),
    Endpoint(
        name="notifications:read_all",
        url=lambda c: reverse("core:notifications_read_all"),
        allowed=frozenset(ALL_ROLES),
        method="post",
        ok=(302,),
    ),
    Endpoint(
        name="notifications:deliveries",
        url=lambda c: reverse("core:notification_deliveries"),
        allowed=frozenset({"officer"}),
    ),
)
