"""A second PM, about to file a duplicate, says "we need this too" from the similar-needs
suggestion (the filing form keeps what they typed); the lead sees demand 2 in the triage inbox
and on the board."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from requests_app import services
from requests_app.models import DataRequest
from tests import factories
from tests.requests_app.conftest import make_cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_second_pm_endorses_from_the_filing_suggestion_and_the_lead_sees_demand_2(
    browser_page, login_as, lead, requester, target_domain
):
    page = browser_page
    cycle = make_cycle("2031-Q1", deadline_in_days=20)
    wanted = factories.DataRequestFactory(
        title="Refund events per merchant",
        requester=requester,
        target_domain=target_domain,
        needed_by_cycle=cycle,
    )
    services.request_submit(data_request=wanted, actor=requester)
    pricing = factories.DomainFactory(name="Pricing", slug="pricing")
    second = factories.UserFactory(username="pm2")
    pricing.members.add(second)

    login_as(page, second)
    page.goto(page.live_url("/requests/new/"))
    page.get_by_label("Title").fill("Refund events by merchant")
    page.get_by_label("What you need").fill("Daily refunds per merchant.")
    suggestion = page.locator(f"#endorse-box-{wanted.pk}")
    suggestion.get_by_role("button", name="We need this too").click()
    suggestion = page.locator(f"#endorse-box-{wanted.pk}")
    expect(suggestion.get_by_label("Your team", exact=True)).to_have_value("pricing")
    suggestion.get_by_label("Why your team needs it").fill("Pricing discounts risky merchants.")
    suggestion.get_by_label("Urgency").select_option("high")
    suggestion.get_by_role("button", name="We need this too").click()
    expect(page.locator(f"#endorse-box-{wanted.pk}")).to_contain_text("2 teams need it now")
    # The filing form is untouched: nothing was filed, what was typed is still there.
    expect(page.get_by_label("Title")).to_have_value("Refund events by merchant")
    expect(page.get_by_label("What you need")).to_have_value("Daily refunds per merchant.")
    assert DataRequest.objects.count() == 1

    login_as(page, lead)
    page.goto(page.live_url(f"/domains/{target_domain.slug}/triage/"))
    row = page.locator("tr", has_text="Refund events per merchant")
    expect(row.locator("td.demand")).to_contain_text("2")
    page.get_by_role("link", name="Demand").click()  # sort by demand (keyboard-reachable link)
    expect(page).to_have_url(
        f"{page.live_url(f'/domains/{target_domain.slug}/triage/')}?ordering=demand"
    )

    services.request_accept(data_request=wanted, actor=lead, planned_cycle=cycle, effort=3)
    page.goto(page.live_url(f"/domains/{target_domain.slug}/board/?cycle={cycle.slug}"))
    row = page.locator("tr.board-row", has_text="Refund events per merchant")
    expect(row.locator("td.demand strong")).to_have_text("2")
    # The board is swapped in anew after the change: wait for it before using the new row (on a
    # slow machine a click landing first had its fetched inputs replaced by the swap).
    with page.expect_response(lambda response: "reach-demand" in response.url):
        row.get_by_role("button", name=f"Set the reach of {wanted.key} to its demand").click()
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    # The row's reach, impact and confidence come when asked, fetched into the row.
    page.locator("tr.board-row", has_text="Refund events per merchant").get_by_role(
        "link", name="Reach, impact, confidence"
    ).click()
    expect(page.locator(f"#rice-{wanted.pk} input[name=reach-{wanted.pk}]")).to_have_value("2")
    expect(page.locator(f"#rice-{wanted.pk} input[name=reach-{wanted.pk}]")).to_be_focused()
    assert page.console_errors == []
