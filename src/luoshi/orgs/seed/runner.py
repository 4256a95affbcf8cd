"""Running the seed: all steps of a scale in one transaction, one audit entry for the run."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from luoshi.core.audit import audit_record
from luoshi.core.choices import AuditAction
from luoshi.orgs.models import AccessToken, Leader, RoleGrant, Unit, UnitClass, User
from luoshi.orgs.seed.registry import SCALES, SeedContext, all_steps, steps_for

DEFAULT_SEED = 2026
AUDIT_USERNAME = "luoshi seed"


def discover_steps() -> None:
    """Import ``luoshi/<app>/seed.py`` of every installed app, where apps register steps."""
    autodiscover_modules("seed")


def has_org_data() -> bool:
    """Whether the database already holds an organisation (seeded or typed in)."""
    return Unit.objects.exists() or Leader.objects.exists() or User.objects.exists()


def seed_run(
    *,
    scale: str,
    seed: int = DEFAULT_SEED,
    units: int = 0,
    users: int = 0,
    log: Callable[[str], None] = lambda message: None,
) -> SeedContext:
    """Generate the data of ``scale``. All or nothing: a failing step leaves no trace."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    discover_steps()
    ctx = SeedContext(scale=scale, seed=seed, units=units, users=users, log=log)
    with transaction.atomic():
        for step in steps_for(scale):
            log(f"{step.name} …")
            step.run(ctx)
        audit_record(
            action=AuditAction.CREATE,
            object_type="seed",
            object_id=scale,
            object_repr=f"luoshi seed --scale {scale} --seed {seed}",
            after={"scale": scale, "seed": seed, **ctx.counts},
            username=AUDIT_USERNAME,
        )
    return ctx


def reset_org_data() -> None:
    """Delete what the organisation steps create: sessions, tokens, accounts, leaders,
    units and unit classes. The audit trail is append-only and stays."""
    Session.objects.all().delete()
    AccessToken.objects.all().delete()
    RoleGrant.objects.all().delete()
    User.objects.all().delete()
    Leader.objects.all().delete()
    Unit.objects.filter(parent__isnull=False).update(parent=None)
    Unit.objects.all().delete()
    UnitClass.objects.all().delete()


def seed_reset() -> dict[str, int]:
    """Wipe seeded data, later apps' steps first (reverse order), then the organisation.
    Records one audit entry saying how much was removed."""
    discover_steps()
    removed = {
        "units": Unit.objects.count(),
        "users": User.objects.count(),
        "leaders": Leader.objects.count(),
    }
    with transaction.atomic():
        for step in reversed(all_steps()):
            if step.reset is not None:
                step.reset()
        reset_org_data()
        audit_record(
            action=AuditAction.DELETE,
            object_type="seed",
            object_repr="luoshi seed --reset",
            before=removed,
            username=AUDIT_USERNAME,
        )
    return removed
