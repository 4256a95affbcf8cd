"""``luoshi import-reports FILE --year Y --month M [--dry-run] [--submit] --user USERNAME``:
import a unit's monthly report sheet as that unit's reporter. All or nothing: prints every
bad row and exits 1 when there is any; otherwise prints what was (or, with --dry-run,
would be) started, updated or left unchanged."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from luoshi.core.errors import DomainError
from luoshi.orgs.models import User
from luoshi.projects.management.commands.import_projects import issue_line
from luoshi.projects.services_report_import import ReportImportResult, import_reports


def print_result(out: Any, result: ReportImportResult) -> None:
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
        f"{len(result.created)} reports {verb} started, {len(result.updated)} updated, "
        f"{len(result.unchanged)} unchanged, {result.skipped} rows empty, "
        f"{result.submitted} submitted; {len(result.errors)} errors."
    )


class Command(BaseCommand):
    help = "Import a unit's monthly report sheet (.xlsx) for the open period (all or nothing)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int, required=True)
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--submit", action="store_true", help="submit the reports after import")
        parser.add_argument(
            "--user", required=True, help="the unit's reporter the reports are recorded for"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username__iexact=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['user']!r}", returncode=1)
        try:
            result = import_reports(
                actor=user,
                file=options["file"],
                year=options["year"],
                month=options["month"],
                dry_run=options["dry_run"],
                submit=options["submit"],
            )
        except (DomainError, FileNotFoundError) as exc:
            raise CommandError(str(getattr(exc, "message", exc)), returncode=1) from exc
        print_result(self.stdout, result)
        if result.errors:
            raise CommandError("nothing was written: fix the errors above", returncode=1)
