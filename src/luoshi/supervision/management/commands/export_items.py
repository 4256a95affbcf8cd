"""``luoshi export-items -o FILE [--status S] [--lamp L] [--source S] [--overdue]``: write
the supervision item ledger (督办台账) as .xlsx, every item (the server console sees all),
with the same filters as the ledger page."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from luoshi.orgs.models import User
from luoshi.supervision.choices import ItemLamp, ItemSource, ItemStatus
from luoshi.supervision.excel_export import write_ledger
from luoshi.supervision.selectors import today_rules


class _Console:
    """The server console: county-wide, like the supervision office."""

    is_authenticated = True
    is_active = True
    unit_id = None
    leader_id = None
    role_set = ("officer",)


class Command(BaseCommand):
    help = "Export the supervision item ledger (督办台账) to an .xlsx file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
        parser.add_argument("--status", choices=ItemStatus.values)
        parser.add_argument("--lamp", choices=ItemLamp.values)
        parser.add_argument("--source", choices=ItemSource.values)
        parser.add_argument("--unit", type=int, help="id of a lead or cooperating unit")
        parser.add_argument("--leader", type=int, help="id of the responsible leader")
        parser.add_argument("--overdue", action="store_true", help="only overdue items")
        parser.add_argument("--user", help="export what this user may see")

    def handle(self, *args: Any, **options: Any) -> None:
        user: Any = _Console()
        if options.get("user"):
            user = User.objects.filter(username__iexact=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {options['user']!r}", returncode=1)
        filters = {
            "status": options.get("status") or "",
            "lamp": options.get("lamp") or "",
            "source": options.get("source") or "",
            "unit_id": options.get("unit"),
            "leader_id": options.get("leader"),
            "overdue": True if options.get("overdue") else None,
        }
        try:
            with open(options["output"], "wb") as fh:
                n = write_ledger(fh, user=user, today=today_rules(), filters=filters)
        except OSError as exc:
            raise CommandError(f"cannot write {options['output']}: {exc}", returncode=1) from exc
        self.stdout.write(f"{n} items written to {options['output']}.")
