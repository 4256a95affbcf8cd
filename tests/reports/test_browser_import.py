"""The monthly report sheet in Chromium, as a unit's reporter uses it: download the
prefilled sheet from the reporting page, fill it offline, upload it with mistakes and read
every bad cell on screen (nothing written), then upload it corrected and see the reports."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest
import python_calamine as pc

try:
    from playwright.sync_api import expect
except ImportError:  # the browser conftest decides: skip locally, fail in CI
    if os.environ.get("LUOSHI_REQUIRE_BROWSER") == "1":
        raise
    pytest.skip("the playwright package is not installed", allow_module_level=True)

from luoshi.projects.models import MonthlyReport
from tests.projects.factories import ProjectFactory
from tests.projects_excel.workbooks import write_book

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Columns of the prefilled sheet of October: A 序号, B 项目编号, C 项目名称, D 责任单位,
# E 2026年计划投资, F 1–9月完成投资, G 本月完成投资, H 1–10月完成投资, I 形象进度, J 存在问题 …
NAME, MONTH, PROGRESS = 2, 6, 8


def _filled(rows: list[list], path, values: dict[str, tuple[object, str]]):
    """The downloaded rows with this month's investment and progress written in, by name."""
    out = [list(r) for r in rows]
    for row in out[3:]:
        if row[NAME] in values:
            row[MONTH], row[PROGRESS] = values[row[NAME]]
    return write_book(path, {"10月": out})


def _check(page, path) -> None:
    page.set_input_files("input[name=file]", str(path))
    with page.expect_navigation():
        page.click("button[value=check]")


def test_a_reporter_fills_the_prefilled_sheet_sees_the_errors_then_imports(
    page, login_as, screenshot, world, tmp_path
):
    school = ProjectFactory(responsible_unit=world.unit_a, code="XM-C", name="城关第二小学")
    login_as(world.reporter_a)
    page.goto("/projects/reporting/")
    with page.expect_download() as download:
        page.click("text=下载预填表")
    sheet = tmp_path / "prefilled.xlsx"
    download.value.save_as(sheet)
    rows = [
        list(r) for r in pc.CalamineWorkbook.from_path(str(sheet)).get_sheet_by_index(0).to_python()
    ]
    assert rows[2][MONTH] == "本月完成投资"
    assert sorted(r[NAME] for r in rows[3:]) == ["城关第二小学", "甲项目"]  # not 乙项目 of B

    bad = _filled(
        rows,
        tmp_path / "月报-有误.xlsx",
        {"甲项目": ("-5", "主体结构施工"), "城关第二小学": ("十万", "装修")},
    )
    with page.expect_navigation():
        page.click("text=从 Excel 导入")
    _check(page, bad)
    errors = page.locator("table.import-errors tbody tr")
    expect(errors).to_have_count(2)
    expect(page.locator("#import-result-title")).to_contain_text("2 处错误")
    first = errors.filter(has_text="-5")
    expect(first.locator("td").nth(0)).to_have_text("10月")
    expect(first.locator("td").nth(2)).to_contain_text("G")
    expect(first.locator("td").nth(2)).to_contain_text("本月完成投资")
    expect(errors.filter(has_text="十万")).to_have_count(1)
    expect(page.locator("button[value=apply]")).to_have_count(0)  # nothing to import
    assert not MonthlyReport.objects.exists()
    screenshot("errors-zh")

    good = _filled(
        rows,
        tmp_path / "月报.xlsx",
        {"甲项目": ("120.50", "主体结构施工至三层"), "城关第二小学": ("30", "室内装修")},
    )
    _check(page, good)
    expect(page.locator("table.import-errors")).to_have_count(0)
    screenshot("checked-zh")
    assert not MonthlyReport.objects.exists()  # the check writes nothing
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("button[value=apply]")
    expect(page.locator(".messages, .message, [role=status]").first).to_contain_text("导入")
    reports = {r.project_id: r for r in MonthlyReport.objects.all()}
    assert reports[world.project_a.pk].investment_month == Decimal("120.50")
    assert reports[school.pk].progress_text == "室内装修"

    page.goto("/projects/reporting/")
    row = page.locator("table tbody tr", has_text="甲项目")
    expect(row).to_contain_text("草稿")
    screenshot("reporting-zh")

    with page.expect_navigation():
        page.click(".langswitch button[value='en']")
    page.goto("/projects/import/reports/")
    _check(page, bad)
    expect(page.locator("table.import-errors tbody tr")).to_have_count(2)
    expect(page.locator("#import-result-title")).to_contain_text("2 errors, nothing was written")
    screenshot("errors-en")
