"""``luoshi import-items FILE [--dry-run] [--user USERNAME]``: issue the supervision items of
the office's list (交办事项清单) from an .xlsx file. All or nothing: prints every bad cell
and exits 1 when there is any; otherwise lists what was (or would be) created."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from luoshi.core.errors import DomainError
from luoshi.orgs.models import User
from luoshi.projects.management.commands.import_projects import issue_line
from luoshi.supervision.excel_import import import_items


class Command(BaseCommand):
    help = "Import supervision items from the office's Excel list (all or nothing)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--user", help="the supervision officer the import is recorded for (audit trail)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options.get("user"):
            actor = User.objects.filter(username__iexact=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"no active user {options['user']!r}", returncode=1)
        try:
            result = import_items(actor=actor, file=options["file"], dry_run=options["dry_run"])
        except (DomainError, FileNotFoundError) as exc:
            raise CommandError(str(getattr(exc, "message", exc)), returncode=1) from exc
        for error in result.errors:
            self.stdout.write("ERROR   " + issue_line(error))
        if result.errors:
            raise CommandError(
                f"{len(result.errors)} errors; nothing was written: fix them and import again",
                returncode=1,
            )
        verb = "would be created" if result.dry_run else "created"
        for plan in result.items:
            self.stdout.write(
                f"{plan.sheet} row {plan.row}: {plan.code or '(new)'} {plan.title} "
                f"→ {plan.lead_name}, {plan.deadline.isoformat()}"
            )
        self.stdout.write(f"{len(result.items)} items {verb}.")
