"""Browser test harness: Playwright (sync API) driving Debian's Chromium against `live_server`.

Every test in this folder is marked ``browser`` (so it is skipped, with the reason, where Chromium
is missing). Use ``browser_page`` (a fresh page that records console errors) and
``login_as(page, user)`` (signs in through the real login form; the factories' password).
Static files are served by the live server: pytest-django's `live_server` wraps the app in
staticfiles' `StaticFilesHandler` when ``django.contrib.staticfiles`` is installed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls from it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from tests.conftest import CHROMIUM  # noqa: E402

PASSWORD = "pw-upstream-1"  # tests/factories.py UserFactory
HERE = Path(__file__).resolve().parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # tryfirst: the root conftest's hook then sees the marker and skips when Chromium is missing.
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch the system Chromium, headless, without background traffic (the app is offline)."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def _plain_http_cookies(settings):
    # The live server speaks plain HTTP; test settings keep production's Secure cookies.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture
def browser_page(page, live_server, _plain_http_cookies):
    """A fresh page on the live server. ``page.console_errors`` collects script errors, CSP
    violations and static files that failed to load, so a test can assert there are none.
    (Pages answering 4xx on purpose, like a form with errors, are not errors here.)"""
    page.set_default_timeout(10_000)
    page.console_errors = []

    def on_console(msg):
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            page.console_errors.append(msg.text)

    def on_response(response):
        if "/static/" in response.url and response.status >= 400:
            page.console_errors.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    page.on("response", on_response)
    page.live_url = lambda path="/": f"{live_server.url}{path}"
    return page


@pytest.fixture
def login_as(live_server):
    """``login_as(page, user)``: sign in through the login form and land on the home page."""

    def login(page, user, password: str = PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return login
