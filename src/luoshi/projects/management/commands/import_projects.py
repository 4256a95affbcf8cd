"""``luoshi import-projects FILE --year Y [--dry-run] [--user USERNAME]``: import the year's
key-project list from the office's Excel table. All or nothing: prints every bad cell and
exits 1 when there is any; otherwise prints what was (or, with --dry-run, would be)
created, updated or left unchanged."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from luoshi.core.errors import DomainError
from luoshi.orgs.models import User
from luoshi.projects.services_import import ImportResult, Issue, import_projects


def issue_line(issue: Issue) -> str:
    where = issue.sheet or "-"
    if issue.row:
        where += f" row {issue.row}"
    if issue.column:
        where += f" {issue.column}"
        if issue.header:
            where += f" ({issue.header})"
    value = f" [{issue.value}]" if issue.value else ""
    return f"{where}{value}: {issue.message}"


def print_result(out: Any, result: ImportResult) -> None:
    for change in result.changes:
        if change.action == "unchanged":
            continue
        out.write(f"{change.action:7} {change.sheet} row {change.row}: {change.code} {change.name}")
        for label, before, after in change.fields:
            out.write(f"          {label}: {before or '—'} → {after}")
    for warning in result.warnings:
        out.write("warning " + issue_line(warning))
    for error in result.errors:
        out.write("ERROR   " + issue_line(error))
    verb = "would be" if result.dry_run or result.errors else "were"
    out.write(
        f"{len(result.created)} projects {verb} created, {len(result.updated)} updated, "
        f"{len(result.unchanged)} unchanged; {len(result.errors)} errors, "
        f"{len(result.warnings)} warnings."
    )


class Command(BaseCommand):
    help = "Import the year's key-project list from an .xlsx file (all or nothing)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--user", help="the supervision officer the import is recorded for (audit trail)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self._actor(options.get("user"))
        try:
            result = import_projects(
                actor=actor, file=options["file"], year=options["year"], dry_run=options["dry_run"]
            )
        except (DomainError, FileNotFoundError) as exc:
            raise CommandError(str(getattr(exc, "message", exc)), returncode=1) from exc
        print_result(self.stdout, result)
        if result.errors:
            raise CommandError("nothing was written: fix the errors above", returncode=1)

    def _actor(self, username: str | None) -> Any:
        if username:
            user = User.objects.filter(username__iexact=username, is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {username!r}", returncode=1)
            return user
        return None  # the server console: trusted, audited as "console"
