"""Issue 5's "done when", in Chromium with a fixed clock, entirely through the pages.

1. The closed loop: the office records a meeting and a decision, issues an item from it,
   the lead unit accepts it from its inbox, feeds back, requests closure, is returned,
   requests again, and the office verifies and closes it; the meeting page's
   决定事项落实情况 then shows it closed.
2. A deadline just before the 2026 National Day holiday (10-01..10-07; 09-20 and 10-10 are
   adjusted working days per chinese-calendar): yellow through the holiday, red on the first
   working day after it (10-08), escalated by the reminder command after five working days
   overdue (10-13, counting the adjusted Saturday 10-10), and on the leader's list.

The live server runs in this process, so the ``clock`` fixture fixes "today" for it too.
"""

from __future__ import annotations

import datetime as dt
import io
import os

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser conftest decides: skip locally, fail in CI
    if os.environ.get("LUOSHI_REQUIRE_BROWSER") == "1":
        raise
    pytest.skip("the playwright package is not installed", allow_module_level=True)

from django.core.management import call_command

from luoshi.core.models import Notification
from luoshi.supervision import services
from luoshi.supervision.choices import ItemStatus
from luoshi.supervision.models import Escalation, Item, Meeting
from tests.browser.conftest import set_language, upload
from tests.supervision_item.helpers import issue, pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def test_meeting_to_verified_closure_through_the_pages(
    page, live_server, login_as, shots, people, clock, media
):
    office, unit = people["office"], people["reporter"]
    status = page.get_by_test_id("item-status")

    # 1. The office records the meeting.
    clock(dt.date(2026, 3, 2))
    login_as(office)
    set_language(page, live_server, "zh-hans")
    page.goto("/supervision/meetings/")
    page.get_by_role("link", name="新建会议").click()
    page.select_option("select[name=kind]", label="常务会")
    page.fill("input[name=title]", "县政府第5次常务会议")
    page.fill("input[name=held_on]", "2026-03-02")
    page.fill("input[name=place]", "县政府三楼会议室")
    page.select_option("select[name=presider]", label="王强（副县长）")
    page.check("input[name=attending_leaders]")
    page.get_by_label("县发展和改革局（FGJ）").check()
    page.get_by_label("县交通运输局（JTJ）").check()
    page.fill("textarea[name=agenda]", "一、城区污水管网改造")
    _submit(page, "保存")
    meeting = Meeting.objects.get(title="县政府第5次常务会议")
    assert page.url.startswith(f"{live_server.url}/supervision/meetings/{meeting.pk}/")
    expect(page.locator("h1")).to_have_text("县政府第5次常务会议")

    # 2. A decision, added in place.
    page.fill(
        "#decisions textarea[name=content]", "加快推进城区污水管网改造，3月底前完成主体工程。"
    )
    page.click("#decisions button:has-text('添加议定事项')")
    expect(page.locator("#decisions tbody tr")).to_have_count(1)
    shots("1-meeting")

    # 3. Issued to 发改局, 交通局 cooperating, deadline in 20 working days.
    page.locator("#decisions tbody tr").first.get_by_role("link", name="交办").click()
    expect(page.locator("h1")).to_have_text("交办督办事项")
    shots("2-issue-form")  # (reloads: before typing)
    page.fill("input[name=title]", "城区污水管网改造")
    page.fill("textarea[name=content]", "3月底前完成主体工程，每周报送进展。")
    page.locator("#id_lead_units").get_by_label("县发展和改革局（FGJ）").check()
    page.locator("#id_cooperating_units").get_by_label("县交通运输局（JTJ）").check()
    page.select_option("select[name=responsible_leader]", label="王强（副县长）")
    page.fill("input[name=deadline]", "2026-03-31")
    page.locator("input[name=deadline]").dispatch_event("change")
    expect(page.locator("#deadline-preview")).to_contain_text("2026-03-31")
    _submit(page, "交办")
    expect(page.locator(".messages")).to_contain_text("已交办 1 项")
    item = Item.objects.get()
    assert (item.decision.meeting_id, item.lead_unit_id, item.deadline) == (
        meeting.pk,
        people["unit_a"].pk,
        dt.date(2026, 3, 31),
    )
    expect(page.locator("#progress tbody tr")).to_have_count(1)
    expect(page.locator("#progress")).to_contain_text("已交办")

    # 4. The unit signs in the next day, finds it in the inbox and accepts it.
    clock(dt.date(2026, 3, 3))
    page.context.clear_cookies()
    login_as(unit)
    set_language(page, live_server, "zh-hans")
    page.goto("/supervision/inbox/")
    expect(page.locator("table.table")).to_contain_text("待签收")
    shots("3-inbox")
    page.locator("table.table").get_by_role("link", name="城区污水管网改造").click()
    expect(status).to_have_text("待签收")
    _submit(page, "签收")
    expect(status).to_have_text("已签收")

    # 5. Progress feedback.
    clock(dt.date(2026, 3, 10))
    page.reload()
    page.fill("textarea[name=feedback-text]", "管材招标完成，已进场施工。")
    _submit(page, "提交反馈")
    expect(status).to_have_text("办理中")
    expect(page.locator(".feedback")).to_contain_text("管材招标完成")

    # 6. Closure requested with evidence.
    clock(dt.date(2026, 3, 20))
    page.reload()
    page.locator("summary", has_text="申请办结").click()
    page.fill("textarea[name=closure-summary]", "主体工程已完工。")
    page.set_input_files("input[name=closure-files]", [upload(pdf(), "application/pdf")])
    _submit(page, "申请办结")
    expect(status).to_have_text("待核验")
    shots("4-closure-requested")

    # 7. The office returns it with a reason.
    page.context.clear_cookies()
    login_as(office)
    set_language(page, live_server, "zh-hans")
    page.goto(f"/supervision/items/{item.pk}/")
    page.fill("textarea[name=return-reason]", "缺少竣工验收材料。")
    _submit(page, "退回单位")
    expect(status).to_have_text("已退回")

    # 8. The unit sees why and requests again.
    clock(dt.date(2026, 3, 24))
    page.context.clear_cookies()
    login_as(unit)
    set_language(page, live_server, "zh-hans")
    page.goto("/supervision/inbox/")  # nothing to accept: opens on 办理中
    page.locator("table.table").get_by_role("link", name="城区污水管网改造").click()
    expect(page.locator(".returned-note")).to_contain_text("缺少竣工验收材料。")
    shots("5-returned")
    page.fill("textarea[name=closure-summary]", "已补充竣工验收报告。")
    page.set_input_files(
        "input[name=closure-files]", [upload(pdf("竣工验收报告.pdf"), "application/pdf")]
    )
    _submit(page, "申请办结")
    expect(status).to_have_text("待核验")

    # 9. The office verifies and closes it (销号).
    clock(dt.date(2026, 3, 25))
    page.context.clear_cookies()
    login_as(office)
    set_language(page, live_server, "zh-hans")
    page.goto(f"/supervision/items/{item.pk}/")
    page.fill("textarea[name=verify-note]", "材料齐全，同意销号。")
    _submit(page, "核验销号")
    expect(status).to_have_text("已办结")
    shots("6-closed")

    # 10. The meeting page reports the decision carried out.
    page.goto(f"/supervision/meetings/{meeting.pk}/")
    progress = page.locator("#progress")
    expect(progress.locator("tbody tr")).to_have_count(1)
    expect(progress.locator("tbody tr")).to_contain_text("已办结")
    expect(progress.locator("tbody tr")).to_contain_text("城区污水管网改造")
    shots("7-meeting-progress")

    item.refresh_from_db()
    assert (item.status, item.accepted_on, item.done_on, item.closed_on) == (
        ItemStatus.CLOSED,
        dt.date(2026, 3, 3),
        dt.date(2026, 3, 24),
        dt.date(2026, 3, 25),
    )


def test_red_after_the_national_day_holiday_and_escalated(
    page, live_server, login_as, shots, people, clock, media
):
    # Issued and accepted in September, deadline the last working day before the holiday.
    clock(dt.date(2026, 9, 1))
    item = issue(
        people,
        title="国庆前完成老旧小区改造",
        issued_on=dt.date(2026, 9, 1),
        deadline=dt.date(2026, 9, 30),
    )
    services.item_accept(actor=people["reporter"], item=item)
    services.feedback_post(actor=people["reporter"], item=item, text="已开工。")
    link = f"/supervision/items/{item.pk}/"
    lamp = page.get_by_test_id("item-lamp")
    reason = page.locator(".lamp-reason")

    login_as(people["office"])
    set_language(page, live_server, "zh-hans")

    # The deadline day: yellow, near.
    clock(dt.date(2026, 9, 30))
    page.goto(link)
    expect(lamp).to_have_text("黄灯")
    expect(reason).to_contain_text("2026-09-30")

    # Through the holiday: not red yet, the reason says when it will be.
    for day in (dt.date(2026, 10, 1), dt.date(2026, 10, 7)):
        clock(day)
        page.reload()
        expect(lamp).to_have_text("黄灯")
        expect(reason).to_contain_text("2026-10-08")
    shots("1-holiday")

    # The first working day after the holiday: red.
    clock(dt.date(2026, 10, 8))
    page.reload()
    expect(lamp).to_have_text("红灯")
    expect(reason).to_contain_text("逾期")
    expect(reason).to_contain_text("2026-09-30")
    shots("2-first-working-day")

    # Four working days overdue (10-08, 10-09, the adjusted Saturday 10-10, 10-12): the
    # command does not escalate yet; the fifth (10-13) it does, once.
    def run(day: str) -> str:
        out = io.StringIO()
        call_command("send_item_reminders", f"--today={day}", stdout=out)
        return out.getvalue()

    assert "0 escalated" in run("2026-10-12")
    assert not Escalation.objects.exists()
    clock(dt.date(2026, 10, 13))
    assert "1 escalated" in run("2026-10-13")
    assert "0 escalated" in run("2026-10-13")  # run twice: nothing twice
    escalation = Escalation.objects.get()
    assert (escalation.item_id, escalation.leader_id) == (item.pk, people["leader_record"].pk)
    leader = people["leader"]
    assert (
        Notification.objects.filter(recipient=leader, kind__startswith="item_escalation").count()
        == 1
    )

    # The leader sees it on the escalated list and in the notifications.
    page.context.clear_cookies()
    login_as(leader)
    set_language(page, live_server, "zh-hans")
    page.goto("/supervision/mine/")
    escalated = page.locator("table.table").first
    expect(escalated).to_contain_text("国庆前完成老旧小区改造")
    expect(escalated).to_contain_text("2026-09-30")
    shots("3-leader-escalated")
    page.goto("/core/notifications/")
    expect(page.locator("main")).to_contain_text(item.code)
    shots("4-leader-notification")
    page.goto(link)
    expect(lamp).to_have_text("红灯")
    expect(page.locator(".timeline")).to_contain_text("升级")
