"""The item's closed loop in Chromium with a fixed clock, each step through the page:
issued → the unit accepts → feedback with an attachment → closure requested (first without
evidence: refused, the text kept) → the office returns it with a reason → requested again
→ verified and closed. Screenshots in Chinese and English at each step.

The live server runs in this process, so ``luoshi.core.clock.frozen`` (the ``clock``
fixture) fixes "today" for the server too."""

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


from luoshi.supervision.choices import ItemStatus
from luoshi.supervision.models import Item
from tests.browser.conftest import set_language, upload
from tests.supervision_item.helpers import issue, pdf, png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_whole_loop_through_the_item_page(
    page, live_server, login_as, shots, people, clock, media
):
    clock(dt.date(2026, 3, 2))
    item = issue(people)
    link = f"/supervision/items/{item.pk}/"
    status = page.get_by_test_id("item-status")

    # 1. The lead unit opens the new item: to accept, green lamp.
    login_as(people["reporter"])
    set_language(page, live_server, "zh-hans")
    page.goto(link)
    expect(page.locator("h1")).to_contain_text(item.code)
    expect(status).to_have_text("待签收")
    expect(page.get_by_test_id("item-lamp")).to_have_text("绿灯")
    shots("1-issued")

    # 2. It accepts the next day.
    clock(dt.date(2026, 3, 3))
    with page.expect_navigation():
        page.get_by_role("button", name="签收").click()
    expect(status).to_have_text("已签收")
    expect(page.locator(".msg-success")).to_contain_text("已签收")
    shots("2-accepted")

    # 3. Progress with a photo.
    clock(dt.date(2026, 3, 10))
    page.fill("textarea[name=feedback-text]", "已完成管材招标，进场施工。")
    page.set_input_files("input[name=feedback-files]", [upload(png(), "image/png")])
    with page.expect_navigation():
        page.get_by_role("button", name="提交反馈").click()
    expect(status).to_have_text("办理中")
    expect(page.locator(".feedback")).to_contain_text("已完成管材招标，进场施工。")
    expect(page.locator(".feedback a", has_text="现场照片.png")).to_be_visible()
    shots("3-feedback")

    # 4. Closure without evidence is refused on the page, the summary kept; then with it.
    clock(dt.date(2026, 3, 20))
    page.locator("summary", has_text="申请办结").click()
    page.fill("textarea[name=closure-summary]", "主体工程已完工。")
    with page.expect_navigation():
        page.get_by_role("button", name="申请办结").click()
    expect(page.locator("#step-error")).to_contain_text("请先上传佐证材料")
    expect(page.locator("textarea[name=closure-summary]")).to_have_value("主体工程已完工。")
    shots("4a-closure-without-evidence")
    page.set_input_files("input[name=closure-files]", [upload(pdf(), "application/pdf")])
    with page.expect_navigation():
        page.get_by_role("button", name="申请办结").click()
    expect(status).to_have_text("待核验")
    shots("4-closure-requested")

    # 5. The office returns it with a reason.
    login_as(people["office"])
    page.goto(link)
    expect(status).to_have_text("申请办结")
    expect(page.locator(".request a", has_text="验收报告.pdf")).to_be_visible()
    page.fill("textarea[name=return-reason]", "缺少竣工验收材料。")
    with page.expect_navigation():
        page.get_by_role("button", name="退回单位").click()
    expect(status).to_have_text("已退回")
    shots("5-returned")

    # 6. The unit reads why and requests again.
    clock(dt.date(2026, 3, 25))
    login_as(people["reporter"])
    page.goto(link)
    expect(page.locator(".returned-note")).to_contain_text("缺少竣工验收材料。")
    page.fill("textarea[name=closure-summary]", "已补充竣工验收报告。")
    page.set_input_files(
        "input[name=closure-files]", [upload(pdf("竣工验收报告.pdf"), "application/pdf")]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="申请办结").click()
    expect(status).to_have_text("待核验")
    shots("6-requested-again")

    # 7. The office verifies and closes it.
    clock(dt.date(2026, 3, 26))
    login_as(people["office"])
    page.goto(link)
    page.fill("textarea[name=verify-note]", "材料齐全，同意销号。")
    with page.expect_navigation():
        page.get_by_role("button", name="核验销号").click()
    expect(status).to_have_text("已办结")
    expect(page.get_by_test_id("item-lamp")).to_have_count(0)  # the status says it all
    expect(page.locator(".timeline li")).to_have_count(7)
    shots("7-closed")

    item = Item.objects.get(pk=item.pk)
    assert (item.status, item.done_on, item.closed_on) == (
        ItemStatus.CLOSED,
        dt.date(2026, 3, 25),
        dt.date(2026, 3, 26),
    )
