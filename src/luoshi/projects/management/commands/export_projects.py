"""``luoshi export-projects --year Y [--month M] -o FILE [--user USERNAME]``: the year's
key-project list (or, with a month, the progress table 1–M月) in the common layout of
county tables. Without --user the console exports every unit's projects."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from luoshi.orgs.models import User
from luoshi.projects.excel.writer import export_projects


class Command(BaseCommand):
    help = "Export the key-project list (or the monthly progress table) as .xlsx."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int, choices=range(1, 13), metavar="1-12")
        parser.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
        parser.add_argument("--user", help="export what this user may see (their unit scope)")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options.get("user"):
            actor = User.objects.filter(username__iexact=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"no active user {options['user']!r}", returncode=1)
        with open(options["output"], "wb") as fh:
            written = export_projects(
                fh, actor=actor, year=options["year"], month=options.get("month")
            )
        self.stdout.write(f"{written} projects written to {options['output']}")
