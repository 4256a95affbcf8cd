from __future__ import annotations

# The Chromium fixtures and the supervision people and clock, for this package's tests.
from tests.browser.conftest import browser, login_as, page, screenshot, shots  # noqa: F401
from tests.supervision.conftest import clock, people  # noqa: F401
