from __future__ import annotations

from tests.supervision.conftest import clock, people  # noqa: F401
