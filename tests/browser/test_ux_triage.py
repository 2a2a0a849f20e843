"""Issue #13 views 15 and 12: the triage inbox shows the need, the team and the demand on each row;
triage keys (j/k, o, x, a/d/f/m, ?) reach every action without a mouse."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from requests_app.models import DataRequest
from tests import factories
from tests.requests_app.conftest import make_cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = DataRequest.Status


@pytest.fixture
def inbox(browser_page, login_as, lead, target_domain, requesting_domain):
    """Two submitted requests in the lead's triage inbox, oldest first."""
    cycle = make_cycle("2031-Q1", deadline_in_days=20)
    first, second = (
        factories.DataRequestFactory(
            target_domain=target_domain,
            requesting_domain=requesting_domain,
            needed_by_cycle=cycle,
            status=S.SUBMITTED,
            title=title,
            business_need=need,
        )
        for title, need in (
            ("Refund events", "Chargeback forecasting for the risk model, weekly."),
            ("Card BIN table", "Fraud rules need the issuing bank per card."),
        )
    )
    page = login_as(browser_page, lead)
    page.goto(page.live_url("/domains/payments/triage/"))
    return page, first, second, cycle


@pytest.mark.parametrize("width", [1280, 390])
def test_each_triage_row_previews_the_need_and_names_the_team(inbox, width):
    page, first, _second, _cycle = inbox
    page.set_viewport_size({"width": width, "height": 800})
    row = page.locator(f'tr.triage-row[data-id="{first.pk}"]')
    expect(row.locator(".need-preview")).to_have_text(
        "Why they need it: Chargeback forecasting for the risk model, weekly."
    )
    expect(row.locator(".triage-team")).to_contain_text("For Search")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_lead_accepts_with_the_keyboard_only(inbox):
    page, first, second, _cycle = inbox
    page.keyboard.press("j")  # the first (oldest) request
    page.keyboard.press("j")  # the second
    page.keyboard.press("k")  # back to the first
    expect(page.locator(f'tr.triage-row[data-id="{first.pk}"]')).to_have_class(
        "triage-row kb-current"
    )
    page.keyboard.press("a")  # accept: selects it and goes to the effort it needs
    expect(page.locator("#bulk-effort")).to_be_focused()
    expect(page.locator(f"#pick-{first.pk}")).to_be_checked()
    expect(page.locator(f"#pick-{second.pk}")).not_to_be_checked()
    page.keyboard.type("3")
    page.keyboard.press("Enter")  # submits the bulk form
    expect(page.locator("#triage .msg-success")).to_contain_text(first.key)
    expect(page.locator(f'tr.triage-row[data-id="{first.pk}"]')).to_have_count(0)
    first.refresh_from_db()
    assert (first.status, first.effort) == (S.ACCEPTED, 3)
    assert page.console_errors == []


def test_question_mark_lists_the_keys_and_the_request_page_takes_them_too(inbox):
    page, first, second, _cycle = inbox
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Mark as a duplicate")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    page.keyboard.press("j")
    page.keyboard.press("o")  # open the first request
    page.wait_for_url(f"**{first.get_absolute_url()}")
    page.keyboard.press("d")  # decline: its reason field takes the focus
    expect(page.locator("form.action-decline textarea")).to_be_focused()
    page.keyboard.press("Escape")
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("j")  # the next request of the inbox
    page.wait_for_url(f"**{second.get_absolute_url()}")
    page.keyboard.press("m")
    expect(page.locator("form.action-mark_duplicate input[type=text]")).to_be_focused()
    assert page.console_errors == []
