"""The supervision reminder job at province scale (issue 5): 200,000 items, run twice.

A fresh SQLite database in a temporary data directory, ``migrate``, the province's
organisation and its 200,000 supervision items (the seed steps ``orgs.province`` and
``supervision.province``; the key projects are left out, the job does not read them).
Then the reminder job (``services_jobs.reminders_run``, what the daily task runs) for the
seed day, twice, and for the next working day once: seconds and what was sent each time.
The bar: the first run under a minute, the second sends nothing.

    .venv/bin/python bench/supervision_jobs.py [--items 200000] [--keep]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BAR_SECONDS = 60.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    args = parser.parse_args(argv)
    data_dir = tempfile.mkdtemp(prefix="luoshi-bench-jobs-")
    os.environ.update(LUOSHI_MODE="demo", LUOSHI_DATA_DIR=data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from luoshi.core.clock import frozen
    from luoshi.core.models import Notification
    from luoshi.orgs.seed.registry import SeedContext, steps_for
    from luoshi.orgs.seed.runner import discover_steps
    from luoshi.supervision import seed as supervision_seed
    from luoshi.supervision.models import Item
    from luoshi.supervision.seed import SEED_DAY, at
    from luoshi.supervision.services_jobs import reminders_run

    try:
        started = time.monotonic()
        call_command("migrate", verbosity=0)
        migrated = time.monotonic() - started
        supervision_seed.PROVINCE_ITEMS = args.items
        discover_steps()
        ctx = SeedContext(scale="province", seed=2026, log=print)
        started = time.monotonic()
        with transaction.atomic():
            for step in steps_for("province"):
                if step.name in ("orgs.province", "supervision.province"):
                    step.run(ctx)
        seeded = time.monotonic() - started
        items = Item.objects.count()
        print(f"supervision jobs bench · SQLite · migrate {migrated:.1f} s · seed {seeded:.1f} s")
        print(
            f"items: {items:,} ({', '.join(f'{k} {v}' for k, v in sorted(ctx.shared['supervision_states'].items()))})"
        )

        runs = []
        next_day = SEED_DAY.replace(day=SEED_DAY.day + 3)  # Monday 23 November
        for label, day in (
            ("first run", SEED_DAY),
            ("second run", SEED_DAY),
            ("next working day", next_day),
        ):
            with frozen(at(day, 8, 30)):
                started = time.monotonic()
                result = reminders_run(today=day)
                seconds = time.monotonic() - started
            runs.append((label, seconds, result))
            kinds = ", ".join(f"{k} {n:,}" for k, n in sorted(result.reminders.items())) or "none"
            print(
                f"{label} ({day}): {seconds:.1f} s · reminders: {kinds} · "
                f"escalated {len(result.escalated):,} · notifications {result.notifications:,}"
            )
        print(f"notifications in the centre: {Notification.objects.count():,}")
        first, second = runs[0], runs[1]
        failures = []
        if first[1] > BAR_SECONDS:
            failures.append(f"the first run took {first[1]:.1f} s (bar {BAR_SECONDS:.0f} s)")
        if second[2].sent or second[2].notifications:
            failures.append("the second run sent something again")
        print(
            "FAIL: " + "; ".join(failures)
            if failures
            else f"OK: {items:,} items, first run {first[1]:.1f} s, second run sends nothing"
        )
        return 1 if failures else 0
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            print(f"data directory kept: {data_dir}")


if __name__ == "__main__":
    sys.exit(main())
