"""The office's supervision settings in Chromium, in Chinese and English."""

from __future__ import annotations

import os

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser conftest decides: skip locally, fail in CI
    if os.environ.get("LUOSHI_REQUIRE_BROWSER") == "1":
        raise
    pytest.skip("the playwright package is not installed", allow_module_level=True)

from luoshi.orgs.choices import Role
from luoshi.supervision.models import SupervisionSettings
from tests.orgs.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_sets_the_escalation_in_working_days(page, login_as, screenshot):
    login_as(UserFactory(username="ducha", roles=[Role.SUPERVISION_OFFICER]))
    page.goto("/supervision/settings/")
    expect(page.locator("h1")).to_have_text("督办规则设置")
    expect(page.get_by_label("逾期升级督办（工作日）")).to_have_value("5")
    screenshot("settings-zh")
    page.get_by_label("逾期升级督办（工作日）").fill("8")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("text=督办规则已保存。")).to_be_visible()
    assert SupervisionSettings.current().escalate_after_days == 8
    page.click(".langswitch button[value='en']")
    expect(page.get_by_label("Escalate after overdue for (working days)")).to_have_value("8")
    screenshot("settings-en")
