"""``luoshi demo-accounts``: the table of demo logins that ``make demo`` prints."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from luoshi.orgs.choices import Role
from luoshi.orgs.models import User
from luoshi.orgs.seed import DEMO_ACCOUNTS, DEMO_PASSWORD


def _width(text: str) -> int:
    """Columns on a terminal: CJK characters take two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


class Command(BaseCommand):
    help = "Print the demo logins (username, password, role, unit)."
    leave_locale_alone = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--lang", default=settings.LANGUAGE_CODE, help="language of the table (zh-hans, en)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["lang"]):
            self._print()

    def _print(self) -> None:
        found = {
            u.username: u
            for u in User.objects.filter(
                username__in=[a.username for a in DEMO_ACCOUNTS]
            ).select_related("unit", "leader")
        }
        if not found:
            self.stdout.write(_("No demo accounts yet: run `luoshi seed --scale county` first."))
            return
        labels = dict(Role.choices)
        header = [_("Username"), _("Password"), _("Role"), _("Unit"), _("What to try")]
        rows = []
        for account in DEMO_ACCOUNTS:
            user = found.get(account.username)
            if user is None:
                continue
            where = user.unit.name if user.unit else (str(user.leader) if user.leader else "—")
            rows.append(
                [
                    account.username,
                    DEMO_PASSWORD,
                    str(labels[account.role]),
                    where,
                    str(account.what),
                ]
            )
        widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
        for i, row in enumerate([header, *rows]):
            self.stdout.write(
                "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )
            if i == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
