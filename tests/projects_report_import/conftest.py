"""Fixtures of the report import tests: the report tests' world (two units, a reporter and
a head each, the office, "now" 2026-11-03 so October 2026 is open)."""

from tests.reports.conftest import clock, media, world  # noqa: F401
