"""Playwright + Debian Chromium against pytest-django's live server.

One headless browser per test session, a fresh context (cookies, language, viewport) per
test. Without Chromium the tests skip, except when ``LUOSHI_REQUIRE_BROWSER=1`` (CI):
then they fail, so a broken CI image cannot pass silently.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

# Playwright's sync API runs an event loop in this thread; Django's ORM would otherwise
# refuse to run next to it, although the calls are sequential.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("LUOSHI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"
TIMEOUT_MS = 10_000


def _unavailable(reason: str) -> None:
    if os.environ.get("LUOSHI_REQUIRE_BROWSER") == "1":
        pytest.fail(
            f"browser tests are required (LUOSHI_REQUIRE_BROWSER=1) but {reason}", pytrace=False
        )
    pytest.skip(reason)


# Packages other than tests/browser import these fixtures into their own conftest, which
# makes pytest hold one session fixture per package; Playwright's sync API allows only one
# running instance per thread, so they all share the first one started.
_running: dict[str, object] = {}


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if "browser" in _running:
        yield _running["browser"]
        return
    if not CHROMIUM.exists():
        _unavailable(
            f"Chromium is not installed at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed in this environment")
    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
        except Exception as exc:  # a Chromium that does not start is the same as none
            _unavailable(f"Chromium at {CHROMIUM} did not start: {exc}")
        _running["browser"] = browser
        try:
            yield browser
        finally:
            _running.pop("browser", None)
            browser.close()


class BrowserProblems(list):
    """Console errors, uncaught exceptions and failed assets seen by the page: a
    Content-Security-Policy violation (an inline script or style slipped in) or a missing
    static file shows up here and fails the test."""


@pytest.fixture
def page(browser, live_server) -> Iterator:
    """A page in a fresh context that reads Chinese, as a county office's browser does."""
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1366, "height": 768},
        base_url=live_server.url,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems = BrowserProblems()

    def on_console(msg) -> None:
        # A refused form answers 400 on purpose; failed assets are caught by on_response.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            problems.append(f"console: {msg.text}")

    def on_response(response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            problems.append(
                f"{response.status} for {response.request.resource_type} {response.url}"
            )

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.problems = problems
    yield page
    context.close()
    assert not problems, "the browser reported errors:\n" + "\n".join(problems)


@pytest.fixture
def login_as(page, live_server) -> Callable:
    """Sign ``user`` in by handing the browser a session cookie (fast); the sign-in form
    itself is tested on its own."""

    def _login(user) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )

    return _login


@pytest.fixture
def screenshot(page, request) -> Callable:
    """``screenshot("zh")`` saves ``screenshots/<test-name>-<suffix>.png`` and returns its path."""
    SCREENSHOTS.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")

    def _shot(suffix: str, *, full_page: bool = True) -> Path:
        path = SCREENSHOTS / f"{name}-{suffix}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return _shot


def set_language(page, live_server, code: str) -> None:
    """Choose the interface language for the next page load (the language cookie)."""
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": code, "url": live_server.url}]
    )


def upload(pair: tuple[str, bytes], mime: str) -> dict:
    """A (file name, content) pair as ``page.set_input_files`` takes it."""
    return {"name": pair[0], "mimeType": mime, "buffer": pair[1]}


@pytest.fixture
def shots(page, live_server, screenshot) -> Callable:
    """``shots("3-inbox")``: the page as it is now in Chinese, then in English, then back
    in Chinese."""

    def _shots(step: str) -> None:
        screenshot(f"{step}-zh")
        set_language(page, live_server, "en")
        page.reload()
        screenshot(f"{step}-en")
        set_language(page, live_server, "zh-hans")
        page.reload()

    return _shots


def sign_in_with_form(page, username: str, password: str) -> None:
    """Type into the sign-in form and submit it, as a person would."""
    if "/login/" not in page.url:
        page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
