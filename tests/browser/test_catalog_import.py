"""Importing catalog files in the browser: upload, preview what would change, apply."""

from playwright.sync_api import expect

from products.models import DataProduct
from tests.products.interchange_samples import BACKSTAGE


def test_a_lead_uploads_previews_and_applies_a_backstage_file(
    browser_page, login_as, lead, target_domain, tmp_path
):
    upload = tmp_path / "catalog-info.yaml"
    upload.write_bytes(BACKSTAGE)
    page = login_as(browser_page, lead)
    page.goto(page.live_url("/catalog/products/"))
    page.get_by_role("link", name="Import catalog files").click()

    page.get_by_label("Catalog file").set_input_files(str(upload))
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("section.card")
    expect(preview.get_by_role("heading", level=2)).to_contain_text("Preview")
    expect(preview.get_by_role("row", name="Data products")).to_contain_text("1")
    expect(preview).to_contain_text("Component")
    assert not DataProduct.objects.exists()

    page.get_by_role("button", name="Apply import").click()
    expect(page.get_by_text("Catalog imported")).to_be_visible()
    expect(page.get_by_role("link", name="Payment events")).to_be_visible()
    assert DataProduct.objects.get().domain == target_domain
    assert page.console_errors == []


def test_the_import_page_fits_a_phone(browser_page, login_as, staff):
    page = login_as(browser_page, staff)
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(page.live_url("/catalog/import/"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.keyboard.press("Tab")
    expect(page.get_by_label("Catalog file")).to_be_visible()
