# The Chromium fixtures for this package's browser test, and the supervision fixtures.
from tests.browser.conftest import browser, login_as, page, screenshot  # noqa: F401
from tests.supervision.conftest import clock, people  # noqa: F401
