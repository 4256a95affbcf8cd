"""Bulk writers shared by the county and the province: rows in, a few INSERTs out.

Seeding does not go through the services on purpose: it writes thousands of rows in a
handful of statements and records one audit entry for the whole run (see ``runner``),
instead of flooding the trail with one entry per generated account.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from luoshi.core.clock import now
from luoshi.orgs.models import Leader, RoleGrant, Unit, UnitClass, User
from luoshi.orgs.seed.data import ClassSpec

BATCH_SIZE = 1000

# Printed by ``luoshi demo-accounts`` and README; meets the rules (11 characters, four
# classes, contains none of the demo usernames).
DEMO_PASSWORD = "Luoshi@2026"


@functools.cache
def demo_password_hash() -> str:
    """One argon2 hash for all demo logins, computed once per process (it is the slow part)."""
    return make_password(DEMO_PASSWORD)


@dataclass
class UnitRow:
    code: str
    name: str
    short_name: str
    class_code: str
    parent_code: str = ""
    with_head: bool = False


@dataclass
class UserRow:
    username: str
    full_name: str
    roles: list[str]
    unit_code: str = ""
    leader_index: int | None = None  # position in the list of leaders created by the step
    demo: bool = False


def create_classes(specs: list[ClassSpec]) -> dict[str, UnitClass]:
    UnitClass.objects.bulk_create(
        [UnitClass(code=s.code, name=s.name, kind=s.kind, order=s.order) for s in specs],
        batch_size=BATCH_SIZE,
    )
    return {c.code: c for c in UnitClass.objects.filter(code__in=[s.code for s in specs])}


def create_units(rows: list[UnitRow], classes: dict[str, UnitClass]) -> dict[str, int]:
    """Insert the units, parents before children; returns code → id. ``order`` follows the
    list, so the unit list shows them as the generator wrote them."""
    order = {row.code: (i + 1) * 10 for i, row in enumerate(rows)}
    ids: dict[str, int] = {}
    pending = list(rows)
    created_at = now()
    while pending:
        ready = [r for r in pending if not r.parent_code or r.parent_code in ids]
        if not ready:
            raise ValueError(f"unit {pending[0].code} names a parent that does not exist")
        objs = [
            Unit(
                code=r.code,
                name=r.name,
                short_name=r.short_name,
                unit_class_id=classes[r.class_code].pk,
                parent_id=ids[r.parent_code] if r.parent_code else None,
                order=order[r.code],
                created_at=created_at,
            )
            for r in ready
        ]
        for start in range(0, len(objs), BATCH_SIZE):
            chunk = Unit.objects.bulk_create(objs[start : start + BATCH_SIZE])
            ids.update({u.code: u.pk for u in chunk})
        ready_codes = {r.code for r in ready}
        pending = [r for r in pending if r.code not in ready_codes]
    return ids


def create_leaders(rows: list[tuple[str, str]]) -> list[Leader]:
    """``rows``: (name, title) in order of precedence."""
    objs = [
        Leader(name=name, title=title, precedence=(i + 1) * 10)
        for i, (name, title) in enumerate(rows)
    ]
    return Leader.objects.bulk_create(objs, batch_size=BATCH_SIZE)


def create_users(
    rows: list[UserRow], *, unit_ids: dict[str, int], leaders: list[Leader]
) -> list[User]:
    """Insert accounts and their role grants in batches.

    The demo logins get the published password, never expire and skip the forced change.
    Every other generated account gets an unusable password (Django's "!" marker) and
    must change it: nobody can sign in with it until an administrator resets it, so a
    seeded database never carries guessable accounts besides the printed ones.
    """
    stamp = now()
    demo_hash = demo_password_hash() if any(r.demo for r in rows) else ""
    users = [
        User(
            username=r.username,
            full_name=r.full_name,
            unit_id=unit_ids[r.unit_code] if r.unit_code else None,
            leader_id=leaders[r.leader_index].pk if r.leader_index is not None else None,
            password=demo_hash if r.demo else make_password(None),
            must_change_password=not r.demo,
            password_policy_exempt=r.demo,
            password_changed_at=stamp if r.demo else None,
            date_joined=stamp,
            is_active=True,
        )
        for r in rows
    ]
    created: list[User] = []
    for start in range(0, len(users), BATCH_SIZE):
        created.extend(User.objects.bulk_create(users[start : start + BATCH_SIZE]))
    grants = [
        RoleGrant(user_id=user.pk, role=role, granted_at=stamp)
        for user, row in zip(created, rows, strict=True)
        for role in row.roles
    ]
    RoleGrant.objects.bulk_create(grants, batch_size=BATCH_SIZE)
    return created
