from __future__ import annotations

import datetime as dt

import pytest

from tests.supervision.conftest import clock, people  # noqa: F401  (fixtures)
from tests.supervision_item.helpers import issue


@pytest.fixture
def item(people, clock, media):  # noqa: F811
    """An item issued on 2026-03-02 (deadline 03-31) to 发改局, 交通局 cooperating."""
    clock(dt.date(2026, 3, 2))
    return issue(people)


# The Chromium fixtures, for the item page's browser test in this package.
from tests.browser.conftest import browser, login_as, page, screenshot, shots  # noqa: E402,F401
