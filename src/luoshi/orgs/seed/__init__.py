"""Deterministic demo and scale data (``luoshi seed --scale county|province``).

``registry`` is the plug-in point for other apps, ``runner`` runs a scale, ``county`` and
``province`` are the organisation's own steps, ``data`` and ``names`` what they draw from.
"""

from __future__ import annotations

# Importing the step modules registers the organisation's steps.
from luoshi.orgs.seed import county, province  # noqa: F401
from luoshi.orgs.seed.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_USERNAMES
from luoshi.orgs.seed.registry import SCALES, SeedContext, seed_step
from luoshi.orgs.seed.runner import DEFAULT_SEED, has_org_data, seed_reset, seed_run

__all__ = [
    "DEFAULT_SEED",
    "DEMO_ACCOUNTS",
    "DEMO_PASSWORD",
    "DEMO_USERNAMES",
    "SCALES",
    "SeedContext",
    "has_org_data",
    "seed_reset",
    "seed_run",
    "seed_step",
]
