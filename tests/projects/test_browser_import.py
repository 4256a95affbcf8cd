"""The office imports the year's project list in Chromium: it finds the import from the
project list, uploads a county table with mistakes and reads every bad cell on screen
(nothing written), then uploads it corrected and finds the projects in the list."""

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
from luoshi.projects.models import Project
from tests.orgs.factories import LeaderFactory, UserFactory
from tests.projects.factories import CategoryFactory
from tests.projects_excel.workbooks import county_book, project_row, section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _rows(*, park_total="1,234.50", road_unit="交通局"):
    return [
        section("一、工业项目（1个）"),
        project_row(1, "工业园标准厂房建设项目", "GY-001", total=park_total, plan="600"),
        section("二、基础设施项目（1个）"),
        project_row(2, "县道改扩建工程", "JT-002", unit=road_unit, total=5000, plan="1,000"),
    ]


def _check(page, path) -> None:
    page.fill("input[name=year]", "2026")
    page.set_input_files("input[name=file]", str(path))
    with page.expect_navigation():
        page.click("button[value=check]")


def test_the_office_imports_the_list_after_fixing_its_errors(
    page, login_as, screenshot, unit_a, unit_b, tmp_path
):
    CategoryFactory(code="industry", name="工业项目", order=1)
    CategoryFactory(code="infra", name="基础设施项目", order=2)
    LeaderFactory(name="张三", title="副县长")
    login_as(UserFactory(username="ducha", roles=[Role.SUPERVISION_OFFICER]))
    bad = county_book(
        tmp_path / "重点项目-有误.xlsx", _rows(park_total="一千万", road_unit="县水务局")
    )
    good = county_book(tmp_path / "重点项目.xlsx", _rows())

    page.goto("/projects/")
    with page.expect_navigation():
        page.click("text=从 Excel 导入")
    _check(page, bad)
    errors = page.locator("table.import-errors tbody tr")
    expect(errors).to_have_count(2)
    expect(page.locator("#import-result-title")).to_contain_text("2 处错误，未写入任何数据")
    wrong_total = errors.filter(has_text="一千万")
    expect(wrong_total.locator("td").nth(0)).to_have_text("重点项目")
    expect(wrong_total.locator("td").nth(1)).to_have_text("6")
    expect(wrong_total.locator("td").nth(2)).to_contain_text("总投资")
    expect(errors.filter(has_text="县水务局")).to_have_count(1)
    expect(page.locator("button[value=apply]")).to_have_count(0)
    assert not Project.objects.exists()
    screenshot("errors-zh")

    _check(page, good)
    expect(page.locator("table.import-errors")).to_have_count(0)
    expect(page.locator("table.import-changes tbody tr")).to_have_count(2)
    screenshot("checked-zh")
    assert not Project.objects.exists()
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("button[value=apply]")
    expect(page.locator(".messages")).to_contain_text("2")
    assert sorted(Project.objects.values_list("code", flat=True)) == ["GY-001", "JT-002"]

    page.click("text=返回项目清单")
    page.goto("/projects/?year=2026")
    expect(page.locator("table.table tbody tr")).to_have_count(2)
    expect(page.locator("main")).to_contain_text("县道改扩建工程")
    screenshot("list-zh")

    with page.expect_navigation():
        page.click(".langswitch button[value='en']")
    page.click("text=Import from Excel")
    _check(page, bad)
    expect(page.locator("#import-result-title")).to_contain_text("2 errors, nothing was written")
    screenshot("errors-en")


def test_the_office_picks_a_unit_by_search_when_there_are_many(
    page, login_as, screenshot, unit_a, unit_b, monkeypatch
):
    from luoshi.orgs.models import Unit
    from luoshi.projects import unit_picker
    from tests.projects.factories import ProjectFactory

    monkeypatch.setattr(unit_picker, "SELECT_MAX", 10)
    Unit.objects.bulk_create(
        [
            Unit(
                code=f"XZ{i:03d}",
                name=f"第{i}乡镇人民政府",
                order=100 + i,
                unit_class=unit_a.unit_class,
            )
            for i in range(30)
        ]
    )
    project = ProjectFactory(responsible_unit=unit_a, code="GY-001", name="工业园标准厂房建设项目")
    login_as(UserFactory(username="ducha", roles=[Role.SUPERVISION_OFFICER]))
    page.goto(f"/projects/{project.pk}/edit/")
    select = page.locator("#id_p-responsible_unit")
    expect(select.locator("option")).to_have_count(1)  # the chosen unit only
    page.locator(".unit-picker input[type=search]").first.fill("XZ007")
    expect(page.locator("#id_p-responsible_unit option")).to_have_count(2)
    page.select_option("#id_p-responsible_unit", label="第7乡镇人民政府（XZ007）")
    screenshot("picker-zh")
    with page.expect_navigation():
        page.click("button[type=submit].btn-primary")
    project.refresh_from_db()
    assert project.responsible_unit.code == "XZ007"
    with page.expect_navigation():
        page.click(".langswitch button[value='en']")
    page.goto(f"/projects/{project.pk}/edit/")
    page.locator(".unit-picker input[type=search]").nth(1).fill("乡镇")
    expect(page.locator("#id_p-cooperating_units option")).to_have_count(20)
    screenshot("picker-en")
