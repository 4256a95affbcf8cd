"""``luoshi audit-verify``: walk the audit trail's hash chain from the first entry.

Exit 0 and "OK: N entries verified" when the chain is intact; exit 1 naming the first
broken entry when a row was edited, inserted or deleted behind the application's back.
Meant for a nightly cron job and for the auditor's own checks.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from luoshi.core.audit import audit_verify


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; exit 1 naming the first broken entry."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=5000, help="entries read per query")

    def handle(self, *args: Any, batch_size: int = 5000, **options: Any) -> None:
        checked, broken = audit_verify(batch_size=batch_size)
        if broken is not None:
            intact = (
                "no entry before it" if checked == 0 else f"entries #1 to #{checked} are intact"
            )
            raise CommandError(
                f"BROKEN at entry #{broken.seq}: {broken.reason} ({intact})", returncode=1
            )
        self.stdout.write(self.style.SUCCESS(f"OK: {checked} entries verified"))
