"""``luoshi seed --scale county|province [--seed N]``: deterministic demo and scale data."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from luoshi.orgs.seed import DEFAULT_SEED, SCALES, has_org_data, seed_reset, seed_run


class Command(BaseCommand):
    help = (
        "Fill the database with a deterministic demo county or a province-sized organisation. "
        "Does nothing when the database already has units or accounts, unless --reset."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=SCALES, default="county")
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="same seed, same data (default %(default)s)",
        )
        parser.add_argument(
            "--units", type=int, default=0, help="province scale: units to generate (default 6000)"
        )
        parser.add_argument(
            "--users",
            type=int,
            default=0,
            help="province scale: accounts to generate (default 10000)",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete units, leaders and accounts first (the audit trail stays)",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="seed although LUOSHI_MODE=production (the demo logins have a published password)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.MODE == "production" and not options["allow_production"]:
            raise CommandError(
                "Refusing to seed in production mode: the demo logins have a published password. "
                "Use LUOSHI_MODE=demo, or --allow-production for a throw-away database."
            )
        if options["units"] < 0 or options["users"] < 0:
            raise CommandError("--units and --users must be positive.")
        if options["scale"] == "county" and (options["units"] or options["users"]):
            raise CommandError("--units and --users apply to the province scale only.")
        if has_org_data():
            if not options["reset"]:
                self.stdout.write(
                    "The database already has an organisation; nothing seeded. "
                    "Run with --reset to replace it with generated data."
                )
                return
            removed = seed_reset()
            self.stdout.write(
                f"Removed {removed['units']} units, {removed['users']} accounts, {removed['leaders']} leaders."
            )
        started = time.monotonic()
        ctx = seed_run(
            scale=options["scale"],
            seed=options["seed"],
            units=options["units"],
            users=options["users"],
            log=self.stdout.write if options["verbosity"] > 1 else (lambda message: None),
        )
        elapsed = time.monotonic() - started
        figures = ", ".join(f"{n} {what}" for what, n in ctx.counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded the {ctx.scale} (seed {ctx.seed}) in {elapsed:.1f} s: {figures}."
            )
        )
        self.stdout.write("Demo logins: luoshi demo-accounts")
