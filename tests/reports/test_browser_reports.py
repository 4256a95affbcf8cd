"""The monthly report loop in Chromium, in Chinese and English: the reporter fills and
submits, the unit head approves, the office accepts from its queue."""

from __future__ import annotations

import os

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser conftest decides: skip locally, fail in CI
    if os.environ.get("LUOSHI_REQUIRE_BROWSER") == "1":
        raise
    pytest.skip("the playwright package is not installed", allow_module_level=True)

from luoshi.projects.choices import ReportStatus
from luoshi.projects.models import MonthlyReport
from tests.projects.factories import ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _english(page) -> None:
    with page.expect_navigation():
        page.click(".langswitch button[value='en']")


def test_reporter_head_and_office_run_the_loop_in_both_languages(page, login_as, screenshot, world):
    other = ProjectFactory(responsible_unit=world.unit_a, code="XM-C", name="城关第二小学")
    login_as(world.reporter_a)
    page.goto("/projects/reporting/")
    expect(page.locator("h1")).to_contain_text("县发展和改革局")
    expect(page.locator("main")).not_to_contain_text("乙项目")
    screenshot("reporting-zh")
    page.click(f"a[href='/projects/reporting/new/{world.project_a.pk}/']")
    page.fill("input[name=investment_month]", "320.50")
    page.fill("textarea[name=progress_text]", "主体结构施工至三层")
    page.fill("textarea[name=problems]", "征地拆迁尚未完成，影响二期施工")
    page.check("input[name=needs_coordination]")
    milestone = world.project_a.milestones.get(name="开工")
    page.fill(f"input[name=ms_{milestone.pk}]", "2026-10-08")
    screenshot("form-zh")
    with page.expect_navigation():
        page.click("button[value=submit]")
    report = MonthlyReport.objects.get(project=world.project_a)
    assert report.status == ReportStatus.SUBMITTED
    _english(page)
    page.goto(f"/projects/reporting/new/{world.project_a.pk}/")  # redirects: not editable
    page.goto("/projects/reporting/")
    screenshot("reporting-en")
    page.click(f"a[href='/projects/reporting/new/{other.pk}/']")
    expect(page.locator("h1")).to_contain_text("Monthly report")
    screenshot("form-en")

    page.context.clear_cookies()
    login_as(world.head_a)
    page.goto(f"/projects/reporting/{report.pk}/")
    with page.expect_navigation():
        page.click(f"form[action='/projects/reporting/{report.pk}/approve/'] button")

    page.context.clear_cookies()
    login_as(world.office)
    # Before the office accepts, the project has no lamp: figures count once checked.
    page.goto("/projects/?year=2026&q=XM-A")
    expect(page.locator("table.table tbody tr").first.locator(".lamp")).to_have_class(
        "lamp lamp-none"
    )
    page.goto("/projects/reporting/review/")
    expect(page.locator("main")).to_contain_text("征地拆迁尚未完成")
    screenshot("review-zh")
    with page.expect_navigation():
        page.click(f"form[action='/projects/reporting/{report.pk}/accept/'] button")
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    # The accepted figures turn the lamp on in the list and on the project's page: 320.50
    # of the 1,000 planned for January–October is 32 %, red, and the reason says so.
    page.goto("/projects/?year=2026")
    row = page.locator("table.table tbody tr", has_text="甲项目")
    expect(row.locator(".lamp")).to_have_class("lamp lamp-red")
    expect(page.locator(".lamp-summary a.lamp-red")).to_contain_text("1")
    screenshot("list-zh")
    row.locator("a", has_text="甲项目").click()
    expect(page.locator(".lamp-reason")).to_contain_text("320.50")
    expect(page.locator(".lamp-reason")).to_contain_text("32%")
    screenshot("project-zh")
    _english(page)
    # Computed once, in Chinese; read in English by an English reader.
    expect(page.locator(".lamp-reason")).to_contain_text("Jan–Oct investment 320.50 (10k yuan)")
    expect(page.locator(".lamp-reason")).to_contain_text("below 80%")
    screenshot("project-en")
    page.goto("/projects/reporting/review/")
    expect(page.locator("h1")).to_have_text("Report review")
    screenshot("review-en")
