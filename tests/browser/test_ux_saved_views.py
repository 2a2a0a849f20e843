"""Issue #13 view 13: statuses and urgencies as chips, a product picker with search, and a saved
view shared with the PM's domain that shows in the navigation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from requests_app.models import DataRequest
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = DataRequest.Status


@pytest.mark.parametrize("width", [1280, 390])
def test_a_pm_filters_with_chips_and_a_product_search_then_saves_and_shares_the_view(
    width, browser_page, login_as, requester, requesting_domain, target_domain, browser, live_server
):
    ledger = factories.DataProductFactory(domain=target_domain, name="Refund ledger")
    factories.DataProductFactory(domain=target_domain, name="Card BINs")
    wanted = factories.DataRequestFactory(
        title="Refunds by reason", status=S.SUBMITTED, urgency="high", data_product=ledger,
        target_domain=target_domain,
    )  # fmt: skip
    factories.DataRequestFactory(title="Refunds drafted", status=S.DRAFT, data_product=ledger,
                                 target_domain=target_domain)  # fmt: skip
    page = login_as(browser_page, requester)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.live_url("/requests/"))

    # Two statuses and one urgency, each a click on a chip (no Ctrl-click on a list box).
    page.locator("#id_status label", has_text="Submitted").click()
    page.locator("#id_status label", has_text="Triaged").click()
    page.locator("#id_urgency label", has_text="High").click()
    # The product picker: type, and the first match is chosen.
    page.get_by_label("Search products").fill("refund")
    expect(page.locator("#id_data_product")).to_have_value(str(ledger.pk))
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("table.requests tbody tr")).to_have_count(1)
    expect(page.locator("table.requests")).to_contain_text(wanted.title)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # Save it for the team.
    page.get_by_text("Save this view").click()
    page.get_by_label("View name").fill("Urgent refunds")
    page.get_by_label("Share with").select_option("search")
    page.get_by_role("button", name="Save the view").click()
    expect(page.get_by_text("Saved view: Urgent refunds")).to_be_visible()
    expect(page.locator("nav.tabs a.saved-view[aria-current=page]")).to_have_text("Urgent refunds")

    # A colleague in Search finds it in the navigation, with the same filters.
    colleague = factories.UserFactory(username="nora")
    requesting_domain.members.add(colleague)
    other = browser.new_context()
    try:
        colleague_page = other.new_page()
        colleague_page.goto(f"{live_server.url}/accounts/login/")
        colleague_page.get_by_label("Username").fill("nora")
        colleague_page.get_by_label("Password").fill("pw-upstream-1")
        colleague_page.get_by_role("button", name="Sign in").click()
        colleague_page.wait_for_url(f"{live_server.url}/")
        colleague_page.get_by_text("Views", exact=True).click()
        colleague_page.get_by_role("link", name="Urgent refunds").click()
        expect(colleague_page.locator("table.requests tbody tr")).to_have_count(1)
        expect(colleague_page.locator("#id_status input[value=submitted]")).to_be_checked()
    finally:
        other.close()
    assert page.console_errors == []
