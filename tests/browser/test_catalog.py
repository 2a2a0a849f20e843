"""Publishing a data product in the browser, governance errors included."""

import re

from playwright.sync_api import expect


def test_a_member_publishes_a_product_after_fixing_the_governance_error(
    browser_page, login_as, member, target_domain
):
    page = login_as(browser_page, member)
    page.goto(page.live_url(f"/catalog/products/new/?domain={target_domain.slug}"))
    expect(page.get_by_label("Domain")).to_have_value(str(target_domain.pk))

    page.get_by_role("textbox", name="Name", exact=True).fill("Card disputes")
    page.locator("#id_description").fill("Every card dispute with its reason code.")
    page.get_by_label("Status").select_option("product")
    page.get_by_label("Classification").select_option("confidential")
    page.get_by_label("Support contact").fill("#payments-data")
    page.get_by_role("button", name="Publish").click()

    sla = page.locator(".field.has-error", has=page.get_by_label("Freshness SLA (hours)"))
    expect(sla).to_contain_text("A product needs a freshness SLA")

    page.get_by_label("Freshness SLA (hours)").fill("24")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Card disputes")
    expect(page.locator("h1 .pill")).to_have_text("Product (with SLA)")

    page.goto(page.live_url("/catalog/products/"))
    page.get_by_label("Search").fill("disputes")
    page.get_by_label("Search").press("Enter")
    expect(page).to_have_url(re.compile(r"q=disputes"))
    expect(page.get_by_role("link", name="Card disputes")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"  # our CSS loaded
    assert page.console_errors == []
