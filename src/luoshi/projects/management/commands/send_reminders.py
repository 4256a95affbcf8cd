"""``luoshi send-reminders [--today YYYY-MM-DD]``: enqueue the reporting reminders due
today for the period open for reporting (run it daily, e.g. from cron; running it twice
sends nothing twice)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from luoshi.core.errors import DomainError
from luoshi.projects.periods import local_today
from luoshi.projects.tasks import enqueue_due_reminders


def _date(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"must be YYYY-MM-DD, not {raw!r}") from exc


class Command(BaseCommand):
    help = "Enqueue the reporting-deadline reminders due today."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--today", type=_date, help="the day to act as (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options.get("today") or local_today()
        try:
            jobs = enqueue_due_reminders(today=today)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        if not jobs:
            self.stdout.write(f"{today}: no reminders due")
        for job in jobs:
            self.stdout.write(
                f"{today}: {job['kind']} reminders for {job['period']} enqueued "
                f"({job['result'].status})"
            )
