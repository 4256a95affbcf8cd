"""The meeting page, issuing and the lists in Chromium, in Chinese and English: decisions
added and edited in place (htmx, no CSP complaint), the computed deadline shown as the
office types, lamps with their reasons."""

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

from luoshi.orgs.choices import Role
from luoshi.supervision.choices import ItemSource, ItemStatus
from luoshi.supervision.models import Escalation, Item, ItemUnit
from tests.orgs.factories import LeaderFactory, UnitFactory, UserFactory
from tests.supervision.factories import DecisionFactory, MeetingFactory
from tests.supervision_meet.helpers import TODAY, green, red, to_accept, yellow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _county():
    a = UnitFactory(code="ZJJ", name="县住房和城乡建设局", short_name="住建局")
    b = UnitFactory(code="JTJ", name="县交通运输局", short_name="交通局")
    c = UnitFactory(code="SWJ", name="县水务局", short_name="水务局")
    li = LeaderFactory(name="李明", title="县长", precedence=1)
    wang = LeaderFactory(name="王强", title="副县长", precedence=2)
    meeting = MeetingFactory(
        title="县政府第12次常务会议",
        held_on=dt.date(2026, 4, 13),
        place="县政府三楼会议室",
        presider=li,
        agenda="一、城区污水管网改造\n二、县道 X201 修复",
        minutes="会议听取了住建局、交通局的汇报，研究议定如下事项。",
    )
    meeting.attending_leaders.set([li, wang])
    meeting.attending_units.set([a, b, c])
    d1 = DecisionFactory(
        meeting=meeting, number=1, content="加快推进城区污水管网改造，6月底前完成主体工程。"
    )
    d2 = DecisionFactory(meeting=meeting, number=2, content="县道 X201 水毁路段4月底前修复通车。")
    red(
        code="DB2026-00001",
        title="城区污水管网改造",
        decision=d1,
        source=ItemSource.MEETING,
        lead_unit=a,
        responsible_leader=wang,
    )
    yellow(
        code="DB2026-00002",
        title="县道 X201 水毁修复",
        decision=d2,
        source=ItemSource.MEETING,
        lead_unit=b,
        responsible_leader=wang,
    )
    green(code="DB2026-00003", title="背街小巷改造", lead_unit=a, responsible_leader=li)
    new = to_accept(
        code="DB2026-00004", title="12345 热线：小区积水", lead_unit=a, source=ItemSource.HOTLINE
    )
    ItemUnit.objects.create(item=new, unit=c)
    esc = red(
        code="DB2026-00005",
        title="农贸市场改造",
        lead_unit=c,
        responsible_leader=wang,
        deadline=dt.date(2026, 4, 1),
    )
    Escalation.objects.create(item=esc, leader=wang, deadline=esc.deadline, days_overdue=10)
    return {"meeting": meeting, "a": a, "wang": wang}


def _english(page):
    with page.expect_navigation():
        page.click(".langswitch button[value='en']")


def test_the_office_records_decisions_and_issues_an_item(page, login_as, screenshot, clock):
    clock(TODAY)
    county = _county()
    login_as(UserFactory(username="ducha", roles=[Role.SUPERVISION_OFFICER]))
    page.goto(f"/supervision/meetings/{county['meeting'].pk}/")
    expect(page.locator("h2", has_text="决定事项落实情况")).to_be_visible()
    expect(page.locator("#progress tbody tr")).to_have_count(2)

    # A decision added in place (htmx): the list grows without leaving the page.
    page.fill("#decisions textarea[name=content]", "农贸市场改造5月底前完成招标。")
    page.click("#decisions button:has-text('添加议定事项')")
    expect(page.locator("#decisions tbody tr")).to_have_count(3)
    row = page.locator("#decisions tbody tr").nth(2)
    row.locator("a[hx-get]").click()
    page.fill("#decisions tr textarea[name=content]", "农贸市场改造5月20日前完成招标。")
    page.click("#decisions tr button:has-text('保存')")
    expect(page.locator("#decisions")).to_contain_text("5月20日前完成招标")
    screenshot("meeting-zh")

    page.locator("#decisions tbody tr").nth(2).locator("a:has-text('交办')").click()
    expect(page.locator("h1")).to_have_text("交办督办事项")
    page.locator("#id_lead_units").get_by_label("县水务局（SWJ）").check()
    page.fill("input[name=deadline_working_days]", "3")
    page.locator("input[name=deadline_working_days]").dispatch_event("change")
    expect(page.locator("#deadline-preview")).to_contain_text("2026-04-20")
    screenshot("issue-zh")
    with page.expect_navigation():
        page.click("button:has-text('交办')")
    expect(page.locator(".messages")).to_contain_text("已交办 1 项")
    assert Item.objects.filter(lead_unit__code="SWJ", deadline=dt.date(2026, 4, 20)).exists()

    _english(page)
    expect(page.locator("h2", has_text="Implementation of the decisions")).to_be_visible()
    screenshot("meeting-en")


def test_the_ledger_and_overdue_list(page, login_as, screenshot, clock):
    clock(TODAY)
    _county()
    login_as(UserFactory(username="ducha", roles=[Role.SUPERVISION_OFFICER]))
    page.goto("/supervision/ledger/")
    expect(page.locator("table.table tbody tr")).to_have_count(5)
    screenshot("ledger-zh")
    page.click(".lamp-summary a.lamp-red")
    expect(page.locator("table.table tbody tr")).to_have_count(2)  # the two overdue
    page.goto("/supervision/overdue/")
    expect(page.locator(".cards .card")).to_have_count(3)
    screenshot("overdue-zh")
    _english(page)
    expect(page.locator("h2", has_text="By lead unit")).to_be_visible()
    screenshot("overdue-en")
    page.goto("/supervision/ledger/")
    screenshot("ledger-en")


def test_the_unit_inbox_and_the_leaders_list(page, login_as, screenshot, clock):
    clock(TODAY)
    county = _county()
    login_as(UserFactory(username="zjj", unit=county["a"], roles=[Role.UNIT_REPORTER]))
    page.goto("/supervision/inbox/")
    expect(page.locator("table.table tbody tr")).to_have_count(1)
    expect(page.locator("table.table")).to_contain_text("待签收")
    screenshot("inbox-zh")
    page.click("text=办理中")
    expect(page.locator("table.table tbody tr")).to_have_count(2)
    _english(page)
    screenshot("inbox-en")

    page.context.clear_cookies()
    login_as(UserFactory(username="wq", roles=[Role.LEADER], leader=county["wang"]))
    page.goto("/supervision/mine/")
    expect(page.locator("table.table").first).to_contain_text("农贸市场改造")
    screenshot("leader-zh")
    _english(page)
    screenshot("leader-en")
    assert ItemStatus.ISSUED
