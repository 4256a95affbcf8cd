from __future__ import annotations

import pytest

# The Chromium fixtures and the supervision people and clock, for this package's tests.
from tests.browser.conftest import browser, login_as, page, screenshot  # noqa: F401
from tests.supervision.conftest import clock, people  # noqa: F401


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path
