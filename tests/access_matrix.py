"""The unit-isolation access matrix: role × page/endpoint × own unit / other unit.

Each feature appends its endpoints to ``ENDPOINTS``; ``tests/test_access_matrix.py`` runs
every role against every entry. ``url`` receives the context built by the test (own unit,
other unit, a user of each, …) so entries can point at objects of either unit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from luoshi.orgs.choices import Role

ALL_ROLES: tuple[str, ...] = tuple(Role.values)
COUNTY_WIDE = frozenset({Role.SUPERVISION_OFFICER, Role.LEADER})
UNIT_ROLES = frozenset({Role.UNIT_REPORTER, Role.UNIT_HEAD})


@dataclass(frozen=True)
class Endpoint:
    """One page, export or API call. ``allowed``: roles that get a success status; every
    other role must be refused (403 for a capability it lacks, 404 for another unit's object,
    so that existence does not leak). ``api`` marks JSON endpoints (anonymous gets 401);
    ``multipart`` sends an API call's ``data`` as multipart/form-data (file uploads) instead
    of JSON."""

    name: str
    url: Callable[[Any], str]
    allowed: frozenset[str]
    method: str = "get"
    data: Callable[[Any], dict] | None = None
    api: bool = False
    multipart: bool = False
    ok: tuple[int, ...] = (200,)
    denied: tuple[int, ...] = (403, 404)
    tags: frozenset[str] = field(default_factory=frozenset)


ENDPOINTS: list[Endpoint] = []


def register(*endpoints: Endpoint) -> None:
    ENDPOINTS.extend(endpoints)
