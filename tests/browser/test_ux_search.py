"""Issue #13, view 11: one search box in the header, "/" to reach it, results as you type, at a
desktop's and a phone's width."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_slash_focuses_the_search_and_results_come_as_you_type(
    width, browser_page, login_as, requester, target_domain
):
    refunds = factories.DataRequestFactory(
        title="Refund events per merchant", target_domain=target_domain
    )
    factories.DataProductFactory(domain=target_domain, name="Refund ledger")
    page = login_as(browser_page, requester)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(page.live_url("/requests/"))
    page.locator("body").press("/")
    expect(page.locator("#site-search-q")).to_be_focused()
    page.keyboard.type("refund")
    results = page.locator("#search-results")
    expect(
        results.get_by_role("link", name=f"{refunds.key} Refund events per merchant")
    ).to_be_visible()
    expect(results.get_by_role("link", name="Refund ledger")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # The keyboard walks the results and opens one.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{refunds.get_absolute_url()}")

    # A key finds its request; Enter without picking shows the full results page.
    page.locator("body").press("/")
    page.keyboard.type(refunds.key)
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    expect(page.get_by_role("heading", name=f"Search: “{refunds.key}”")).to_be_visible()
    expect(page.locator("main .search-hit").first).to_contain_text(refunds.key)
    assert page.console_errors == []
