"""Issue #13 view 14: the roadmap timeline a PM opens before a planning meeting ("what did other
teams promise mine?") and a lead's "my domain across quarters"; printable; fits a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from requests_app.models import DataRequest
from tests import factories
from tests.requests_app.conftest import make_cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = DataRequest.Status


@pytest.fixture
def promises(target_domain, requesting_domain):
    q1, q2 = (make_cycle(f"2031-Q{n}", deadline_in_days=-60 + 91 * n) for n in (1, 2))
    ads = factories.DomainFactory(name="Ads", slug="ads")
    made = {}
    for name, producer, team, cycle in (
        ("Refund events", target_domain, requesting_domain, q1),
        ("Card BIN table", target_domain, ads, q2),
        ("Campaign spend", ads, requesting_domain, q2),
    ):
        made[name] = factories.DataRequestFactory(
            title=name,
            target_domain=producer,
            requesting_domain=team,
            needed_by_cycle=cycle,
            planned_cycle=cycle,
            status=S.ACCEPTED,
            effort=3,
        )
    return made


@pytest.mark.parametrize("width", [1280, 390])
def test_a_pm_sees_what_other_teams_promised_theirs_and_a_lead_their_quarters(
    width, promises, browser_page, login_as, requester
):
    page = login_as(browser_page, requester)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(page.live_url("/"))
    page.get_by_role("link", name="Roadmap").click()
    expect(page.get_by_role("heading", name="Roadmap timeline")).to_be_visible()
    payments_q1 = page.locator('tr[data-domain="payments"] td[data-cycle="2031-q1"]')
    expect(payments_q1).to_contain_text("Refund events")
    expect(payments_q1).to_contain_text("for Search")

    # Before the planning meeting: only what was promised to the PM's team (Search).
    page.get_by_label("Requested by team").select_option("search")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("table.roadmap")).to_contain_text("Campaign spend")
    expect(page.locator("table.roadmap")).not_to_contain_text("Card BIN table")
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # A lead's view: one producing domain across the quarters.
    page.goto(page.live_url("/roadmap/?domain=payments"))
    expect(page.locator("table.roadmap tbody tr")).to_have_count(1)
    expect(page.locator('td[data-cycle="2031-q2"]')).to_contain_text("Card BIN table")

    # On paper: no navigation, no filters, the whole table.
    page.emulate_media(media="print")
    expect(page.locator("header.topbar")).to_be_hidden()
    expect(page.locator("form.filters")).to_be_hidden()
    expect(page.locator("table.roadmap")).to_be_visible()
    assert page.console_errors == []
