from __future__ import annotations

from tests.browser.conftest import browser, login_as, page, screenshot  # noqa: E402, F401
from tests.supervision.conftest import clock, people  # noqa: F401
