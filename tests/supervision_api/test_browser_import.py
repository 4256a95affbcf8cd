"""The item list import page in Chromium, Chinese and English: a list with bad rows shows
every error on screen; a good list shows its preview and issues on confirmation."""

from __future__ import annotations

import datetime as dt
import os

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser conftest decides: skip locally, fail in CI
    if os.environ.get("LUOSHI_REQUIRE_BROWSER") == "1":
        raise
    pytest.skip("the playwright package is not installed", allow_module_level=True)

from luoshi.core.clock import frozen
from luoshi.orgs.choices import Role
from luoshi.supervision.models import Item
from tests.orgs.factories import LeaderFactory, UnitFactory, UserFactory
from tests.supervision.conftest import at
from tests.supervision_api.test_excel import GOOD, book

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_import_page_shows_errors_then_issues(page, login_as, screenshot, tmp_path):
    with frozen(at(dt.date(2026, 3, 2))):
        _run(page, login_as, screenshot, tmp_path)


def _run(page, login_as, screenshot, tmp_path):
    UnitFactory(code="FGJ", name="县发展和改革局", short_name="发改局")
    UnitFactory(code="JTJ", name="县交通运输局", short_name="交通局")
    UnitFactory(code="WJW", name="县卫生健康委员会", short_name="卫健委")
    LeaderFactory(name="王强", title="副县长")
    login_as(UserFactory(username="office", roles=[Role.SUPERVISION_OFFICER]))
    bad = [*GOOD, [4, "修缮县图书馆。", None, None, "县文旅局", None, None, "2026-01-01", None]]
    page.goto("/supervision/items/import/")
    page.set_input_files("input[type=file]", str(book(tmp_path, bad, "bad.xlsx")))
    page.click("button[value=check]")
    expect(page.locator(".import-errors")).to_contain_text("未知单位：县文旅局")
    screenshot("errors-zh")

    page.set_input_files("input[type=file]", str(book(tmp_path, GOOD, "good.xlsx")))
    page.click("button[value=check]")
    expect(page.locator(".import-preview tbody tr")).to_have_count(3)
    screenshot("preview-zh")
    page.on("dialog", lambda d: d.accept())
    with page.expect_navigation():
        page.click("button[value=apply]")
    expect(page.locator("body")).to_contain_text("已导入督办事项 3 项")
    assert Item.objects.count() == 3

    with page.expect_navigation():
        page.click(".langswitch button[value='en']")
    page.set_input_files("input[type=file]", str(book(tmp_path, GOOD, "again.xlsx")))
    page.click("button[value=check]")
    expect(page.locator(".import-errors")).to_contain_text("was already issued as item")
    screenshot("again-en")
