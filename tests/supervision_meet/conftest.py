# The Chromium fixtures, for the browser tests of this package.
from tests.browser.conftest import browser, login_as, page, screenshot  # noqa: F401, E402
from tests.supervision.conftest import clock, people  # noqa: F401
