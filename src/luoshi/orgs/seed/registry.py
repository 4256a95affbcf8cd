"""The seed's plug-in points: apps register steps that add their objects to a scale.

An app adds demo data by creating ``luoshi/<app>/seed.py`` (found by autodiscovery) with::

    from luoshi.orgs.seed.registry import SeedContext, seed_step

    @seed_step("projects.key_projects", scales=("county", "province"), order=200,
               reset=lambda: KeyProject.objects.all().delete())
    def key_projects(ctx: SeedContext) -> None:
        rng = ctx.rng("projects.key_projects")
        units = ctx.shared["units"]  # or query the database
        ...
        ctx.count("key projects", len(rows))

Steps run in ``order`` (organisation first, at 100 and 110), each with its own random
generator derived from the seed and the step's name, so adding a step never changes what
the other steps produce. ``reset`` runs in the reverse order before ``--reset`` seeds again;
a step whose rows other steps point to must reset after them, which the order guarantees.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

SCALES: tuple[str, ...] = ("county", "province")


@dataclass
class SeedContext:
    """What a step gets: the scale, the seed, the sizes asked for, a place to leave objects
    for later steps (``shared``) and a tally of what was created (``counts``)."""

    scale: str
    seed: int
    units: int = 0  # province scale: how many units to generate
    users: int = 0  # province scale: how many accounts to generate
    shared: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    log: Callable[[str], None] = lambda message: None

    def rng(self, name: str) -> random.Random:
        """A generator of its own for ``name``: the same seed gives the same sequence."""
        return random.Random(f"luoshi:{self.seed}:{name}")

    def count(self, what: str, n: int) -> None:
        self.counts[what] = self.counts.get(what, 0) + n


StepFunction = Callable[[SeedContext], None]


@dataclass(frozen=True)
class SeedStep:
    name: str
    run: StepFunction
    scales: frozenset[str]
    order: int
    reset: Callable[[], Any] | None = None


_STEPS: dict[str, SeedStep] = {}


def seed_step(
    name: str,
    *,
    scales: tuple[str, ...] = SCALES,
    order: int = 500,
    reset: Callable[[], Any] | None = None,
) -> Callable[[StepFunction], StepFunction]:
    """Register ``function`` as the step ``name`` for the given scales."""
    unknown = set(scales) - set(SCALES)
    if unknown:
        raise ValueError(f"unknown seed scale(s): {sorted(unknown)}")

    def decorator(function: StepFunction) -> StepFunction:
        # Registering the same name again (a module imported twice) replaces the step.
        _STEPS[name] = SeedStep(
            name=name, run=function, scales=frozenset(scales), order=order, reset=reset
        )
        return function

    return decorator


def steps_for(scale: str) -> list[SeedStep]:
    return sorted(
        (s for s in _STEPS.values() if scale in s.scales), key=lambda s: (s.order, s.name)
    )


def all_steps() -> list[SeedStep]:
    return sorted(_STEPS.values(), key=lambda s: (s.order, s.name))
