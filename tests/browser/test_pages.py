"""What a person sees in Chromium: signing in, the language switch, each role's navigation,
lockout, the forced password change, the phone menu and the audit trail.

Text assertions marked ``ZH-TEXT`` expect the Chinese catalogue (locale/zh_Hans); they fail
until it is compiled, by design: they check that a Chinese visitor really reads Chinese.
"""

from __future__ import annotations

import os
import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the conftest decides: skip locally, fail in CI
    if os.environ.get("LUOSHI_REQUIRE_BROWSER") == "1":
        raise
    pytest.skip("the playwright package is not installed", allow_module_level=True)

from luoshi.core.audit import audit_record
from luoshi.core.choices import AuditAction
from luoshi.orgs.choices import Role
from tests.browser.conftest import sign_in_with_form
from tests.orgs.factories import DEFAULT_PASSWORD, UnitClassFactory, UnitFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def expect_zh(locator, text: str) -> None:
    """ZH-TEXT: the Chinese wording the catalogue gives. The page has loaded already, so
    a short wait is enough (and a missing catalogue fails fast)."""
    expect(locator).to_have_text(text, timeout=1000)


def _nav_sections(page) -> list[str]:
    return page.locator("nav.mainnav a").evaluate_all("links => links.map(a => a.dataset.section)")


def _switch_language(page, code: str) -> None:
    with page.expect_navigation():
        page.click(f".langswitch button[value='{code}']")


def test_an_officer_signs_in_and_reads_the_home_page_in_chinese(page, screenshot):
    UserFactory(username="ducha", full_name="李督查", roles=[Role.SUPERVISION_OFFICER])
    town = UnitClassFactory(code="town", name="乡镇（街道）")
    for name in ("县发展和改革局", "县交通运输局", "县财政局"):
        UnitFactory(name=name)
    for name in ("城关镇", "河西街道"):
        UnitFactory(name=name, unit_class=town)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect_zh(page.locator("h1"), "登录")  # ZH-TEXT: "Sign in"
    sign_in_with_form(page, "ducha", DEFAULT_PASSWORD)

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator(".langswitch button.current")).to_have_attribute("value", "zh-hans")
    expect(page.locator(".whoami")).to_contain_text("李督查")
    # The county in figures: ECharts (served by the app itself, allowed by the CSP) draws.
    expect(page.locator(".chart[data-chart=bar] canvas")).to_have_count(1)
    expect_zh(page.locator("nav.mainnav a[data-section=home]"), "首页")  # ZH-TEXT: "Home"
    expect_zh(page.locator("nav.mainnav a[data-section=units]"), "单位")  # ZH-TEXT: "Units"
    expect_zh(page.locator(".topbar-tools form.inline button"), "退出")  # ZH-TEXT: "Sign out"
    screenshot("zh")


def test_the_language_switch_turns_the_page_english_and_back(page, login_as, screenshot):
    login_as(UserFactory(username="ducha", roles=[Role.SUPERVISION_OFFICER]))
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    _switch_language(page, "en")
    expect(page).to_have_url(re.compile(r"/$"))  # stays on the same page
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".langswitch button.current")).to_have_attribute("value", "en")
    expect(page.locator("nav.mainnav a[data-section=home]")).to_have_text("Home")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    screenshot("en")

    # The choice sticks on the next page too.
    page.goto("/account/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    _switch_language(page, "zh-hans")
    expect(page).to_have_url(re.compile(r"/account/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator(".langswitch button.current")).to_have_attribute("value", "zh-hans")
    expect_zh(page.locator("nav.mainnav a[data-section=home]"), "首页")  # ZH-TEXT: "Home"
    screenshot("zh")


# Derived from core/navigation.py (NAV) and core/permissions.py (ROLE_PERMS).
EXPECTED_NAV = {
    Role.SUPERVISION_OFFICER: [
        "home",
        "projects",
        "review",
        "meetings",
        "ledger",
        "overdue",
        "units",
    ],
    Role.LEADER: ["home", "projects", "leader_items", "meetings", "ledger", "units"],
    Role.UNIT_REPORTER: ["home", "projects", "reporting", "inbox", "units"],
    Role.UNIT_HEAD: ["home", "projects", "reporting", "inbox", "units"],
    Role.SYSTEM_ADMIN: ["home", "units", "unitclasses", "leaders", "users"],
    Role.SECURITY_ADMIN: ["home", "units", "roles"],
    Role.AUDIT_ADMIN: ["home", "audit"],
}


@pytest.mark.parametrize("role", list(EXPECTED_NAV))
def test_each_role_sees_exactly_its_own_navigation(page, login_as, screenshot, role):
    unit = (
        UnitFactory(code="FGJ", name="县发展和改革局", short_name="发改局")
        if role in ("reporter", "unit_head")
        else None
    )
    login_as(UserFactory(username=f"u_{role}", full_name="张三", unit=unit, roles=[role]))
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    assert _nav_sections(page) == EXPECTED_NAV[role]
    expect(page.locator("nav.mainnav a.active")).to_have_attribute("data-section", "home")
    if unit is not None:
        expect(page.locator(".whoami")).to_contain_text("发改局")
    screenshot("zh")


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(page, screenshot):
    UserFactory(username="zhang", roles=[Role.UNIT_REPORTER], unit=UnitFactory())
    page.goto("/login/")
    errors = page.locator(".form-errors")
    messages = []
    for _ in range(5):
        sign_in_with_form(page, "zhang", "not-my-password")
        expect(errors).to_be_visible()
        messages.append(errors.inner_text())
    # The first four warn; the fifth says the account is now locked, for 15 minutes, until when.
    assert len(set(messages[:4])) == 1
    locked = messages[4]
    assert locked != messages[0]
    assert "15" in locked and re.search(r"\d{2}:\d{2}", locked)
    screenshot("zh")

    sign_in_with_form(page, "zhang", DEFAULT_PASSWORD)
    expect(page).to_have_url(re.compile(r"/login/"))
    assert re.search(r"\d{2}:\d{2}", errors.inner_text()) and "15" in errors.inner_text()
    expect(page.locator("nav.mainnav")).to_have_count(0)


def test_a_new_account_changes_its_password_at_first_sign_in(page, screenshot):
    UserFactory(
        username="xinren", roles=[Role.UNIT_REPORTER], unit=UnitFactory(), must_change_password=True
    )
    sign_in_with_form(page, "xinren", DEFAULT_PASSWORD)
    expect(page).to_have_url(re.compile(r"/account/password/$"))
    expect(page.locator(".notice")).to_be_visible()  # why the form is shown
    screenshot("zh")

    # Anything else sends the user back here until the password is changed.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/account/password/$"))

    new = "Xinmima#2026abc"
    page.fill("input[name=old_password]", DEFAULT_PASSWORD)
    page.fill("input[name=new_password1]", new)
    page.fill("input[name=new_password2]", new)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator(".msg-success")).to_be_visible()
    expect(page.locator("nav.mainnav a[data-section=home]")).to_be_visible()


def test_on_a_phone_the_menu_opens_from_the_toggle(page, login_as, screenshot):
    login_as(UserFactory(username="ducha", full_name="李督查", roles=[Role.SYSTEM_ADMIN]))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    nav = page.locator("nav.mainnav")
    expect(nav).to_be_hidden()
    page.click(".nav-toggle summary")
    expect(nav).to_be_visible()
    expect(nav.locator("a[data-section=users]")).to_be_visible()
    # Nothing sticks out sideways on a 390 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("zh-phone")


def test_the_audit_admin_filters_the_trail_to_failed_sign_ins(page, login_as, screenshot):
    officer = UserFactory(username="ducha", full_name="李督查", roles=[Role.SUPERVISION_OFFICER])
    unit = UnitFactory(code="FGJ", name="县发展和改革局")
    audit_record(
        action=AuditAction.UPDATE,
        actor=officer,
        obj=unit,
        before={"name": "县发改局"},
        after={"name": "县发展和改革局"},
        ip="10.2.3.4",
    )
    for reason in ("wrong password", "unknown user"):
        audit_record(
            action=AuditAction.LOGIN_FAILED,
            username="ducha",
            obj=officer,
            after={"reason": reason},
            ip="10.9.9.9",
        )
    audit_record(action=AuditAction.LOGIN, actor=officer, obj=officer, ip="10.2.3.4")
    login_as(UserFactory(username="shenji", full_name="审计员", roles=[Role.AUDIT_ADMIN]))

    page.goto("/")
    with page.expect_navigation():
        page.click("nav.mainnav a[data-section=audit]")
    expect(page).to_have_url(re.compile(r"/core/audit/$"))
    rows = page.locator("table.audit-table tbody tr[data-seq]")
    expect(rows).to_have_count(4)

    page.select_option("select[name=action]", "login_failed")
    with page.expect_navigation():
        page.click("form.audit-filters button[type=submit]")
    expect(page).to_have_url(re.compile(r"action=login_failed"))
    expect(rows).to_have_count(2)
    assert set(rows.evaluate_all("rs => rs.map(r => r.dataset.action)")) == {"login_failed"}
    expect(rows.first).to_contain_text("10.9.9.9")
    expect(page.locator("nav.mainnav a.active")).to_have_attribute("data-section", "audit")
    screenshot("zh")

    with page.expect_navigation():
        rows.first.locator("a").first.click()
    expect(page.locator("pre.diff")).to_contain_text("unknown user")
    screenshot("zh-detail")
