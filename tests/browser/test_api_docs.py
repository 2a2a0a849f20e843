"""The API docs (Swagger UI) render their operations under our strict CSP, offline."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_signed_in_user_sees_the_api_operations_rendered_in_the_docs(
    browser_page, login_as, requester
):
    page = login_as(browser_page, requester)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(page.live_url("/api/docs/"))

    expect(page.locator(".opblock").first).to_be_visible()
    expect(
        page.locator(".opblock-summary-path", has_text="/api/v1/requests/").first
    ).to_be_visible()
    assert page.console_errors == []
    # Swagger's assets come from our own origin (drf-spectacular-sidecar), never a CDN.
    assert all(url.startswith(page.live_url("/")) for url in requested), requested
