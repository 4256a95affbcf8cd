"""The demo's printed logins: one per role, plus a reporter of 县发展和改革局 and one of a
township. Both scales create them, so the bench and a visitor sign in the same way."""

from __future__ import annotations

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from luoshi.orgs.choices import Role
from luoshi.orgs.seed.build import DEMO_PASSWORD


class DemoAccount(NamedTuple):
    username: str
    role: str
    what: str


DEMO_ACCOUNTS: list[DemoAccount] = [
    DemoAccount("office", Role.SUPERVISION_OFFICER, _("the supervision office: sees every unit")),
    DemoAccount(
        "leader", Role.LEADER, _("a deputy head of government, in charge of several units")
    ),
    DemoAccount("head_fgj", Role.UNIT_HEAD, _("head of the development and reform bureau")),
    DemoAccount(
        "reporter_fgj", Role.UNIT_REPORTER, _("reporter of the development and reform bureau")
    ),
    DemoAccount("reporter_town", Role.UNIT_REPORTER, _("reporter of a township")),
    DemoAccount("sysadmin", Role.SYSTEM_ADMIN, _("manages units, leaders and accounts")),
    DemoAccount("secadmin", Role.SECURITY_ADMIN, _("assigns roles, unlocks accounts")),
    DemoAccount("auditadmin", Role.AUDIT_ADMIN, _("reads and exports the audit trail")),
]
DEMO_USERNAMES: frozenset[str] = frozenset(a.username for a in DEMO_ACCOUNTS)

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "DEMO_USERNAMES", "DemoAccount"]
