"""``luoshi create-token USERNAME [--name NAME] [--days N]``: issue a personal access token
from the command line (for service accounts and first set-up). Prints the token only, so
``TOKEN=$(luoshi create-token robot)`` works; everything else goes to stderr."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from luoshi.core.clock import now
from luoshi.core.errors import DomainError
from luoshi.orgs.models import User
from luoshi.orgs.tokens import MAX_LIFETIME_DAYS, token_create


class Command(BaseCommand):
    help = "Create a personal access token for USERNAME and print it (shown only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="What the token is for.")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Valid for this many days (1–{MAX_LIFETIME_DAYS}); default: until revoked.",
        )

    def handle(
        self, *args: Any, username: str, name: str, days: int | None, **options: Any
    ) -> None:
        user = User.objects.filter(username__iexact=username.strip()).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if days is not None and not 1 <= days <= MAX_LIFETIME_DAYS:
            raise CommandError(f"--days must be between 1 and {MAX_LIFETIME_DAYS}.")
        expires_at = now() + timedelta(days=days) if days else None
        try:
            _token, raw = token_create(actor=None, user=user, name=name, expires_at=expires_at)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(raw)
