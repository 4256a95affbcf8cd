"""``luoshi send-item-reminders [--today YYYY-MM-DD]``: enqueue the day's supervision-item
reminders (before, on and after the deadline, not accepted) and escalations to the leaders'
lists. Run it daily, e.g. from cron (``30 8 * * * luoshi send-item-reminders``); running it
twice sends nothing twice."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from luoshi.core.errors import DomainError
from luoshi.projects.report_content import local_today
from luoshi.supervision.services_jobs import window
from luoshi.supervision.tasks import send_item_reminders


def _date(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"must be YYYY-MM-DD, not {raw!r}") from exc


class Command(BaseCommand):
    help = "Enqueue today's supervision-item reminders and escalations."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--today", type=_date, help="the day to act as (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options.get("today") or local_today()
        try:
            window(today)  # a year the calendar does not know is refused here, with its message
            result = send_item_reminders.enqueue(today.isoformat())
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        if not result.is_finished:
            self.stdout.write(f"{today}: item reminders enqueued ({result.status})")
            return
        if result.status != "SUCCESSFUL":
            raise CommandError(f"{today}: the item reminder job failed ({result.status})")
        done = result.return_value
        if not done["working_day"]:
            self.stdout.write(f"{today}: not a working day; no item reminders sent")
            return
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(done["reminders"].items())) or "none"
        self.stdout.write(
            f"{today}: item reminders {kinds}; {done['escalated']} escalated; "
            f"{done['notifications']} notifications"
        )
