"""A PM files a request through the form; a lead triages and accepts it from the request page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from requests_app.models import DataRequest
from tests import factories
from tests.requests_app.conftest import make_cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_pm_files_and_submits_a_request_and_sees_it_on_its_page(
    browser_page, login_as, requester, target_domain
):
    page = browser_page
    cycle = make_cycle("2031-Q1", deadline_in_days=20)
    factories.DataProductFactory(domain=target_domain, name="Refund events")
    for name in ("Payouts", "Logistics", "Search ranking"):
        factories.DomainFactory(name=name, slug=name.lower().replace(" ", "-"))
    login_as(page, requester)
    page.goto(page.live_url("/requests/new/"))
    page.get_by_label("Title").fill("Refund events per merchant")
    # While typing, the similar-needs panel suggests the product that may already answer it.
    expect(page.get_by_text("This product may already answer your need")).to_be_visible()
    page.get_by_label("What you need").fill("Daily refunds with merchant and reason.")
    page.get_by_label("Why you need it").fill("Chargeback forecasting for Q1.")
    # The producing domain is searchable: typing part of its name narrows the list and picks it.
    domain = page.get_by_label("Producing domain")
    search = page.get_by_role("searchbox", name="Search domains")
    search.fill("zz")
    expect(page.get_by_text("No domain matches “zz”")).to_be_visible()
    search.fill("pay")
    expect(page.get_by_text("2 domains match")).to_be_visible()
    expect(domain.locator("option")).to_have_text(["Payments", "Payouts"])
    search.fill("PAYM")
    expect(page.get_by_text("1 domain matches")).to_be_visible()
    expect(domain).to_have_value("payments")
    # Picking it fires the same change as the select would: the domain's products load.
    expect(page.get_by_label("Existing data product (optional)")).to_contain_text("Refund events")
    search.fill("")
    expect(domain.locator("option")).to_have_count(6)  # the empty choice and the five domains
    expect(domain).to_have_value("payments")
    page.get_by_label("Needed by cycle").select_option(cycle.slug)
    page.get_by_role("button", name="Submit").click()

    obj = DataRequest.objects.get()
    expect(page).to_have_url(re.compile(rf"/requests/{obj.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Refund events per merchant")
    expect(page.locator("h1 .pill")).to_have_text("Submitted")
    expect(page.locator(".flag .early")).to_be_visible()
    assert page.console_errors == []


def test_a_lead_triages_and_accepts_from_the_request_page(
    browser_page, login_as, lead, requester, target_domain
):
    page = browser_page
    cycle = make_cycle("2031-Q1", deadline_in_days=20)
    later = make_cycle("2031-Q2", deadline_in_days=110)
    obj = factories.DataRequestFactory(
        requester=requester, target_domain=target_domain, needed_by_cycle=cycle
    )
    from requests_app import services

    services.request_submit(data_request=obj, actor=requester)
    login_as(page, lead)
    page.goto(page.live_url(f"/requests/{obj.pk}/"))
    page.get_by_role("button", name="Triage").click()
    expect(page.locator("h1 .pill")).to_have_text("Triaged")

    accept = page.get_by_role("form", name="Accept")
    accept.get_by_label("Planned cycle").select_option(later.slug)
    accept.get_by_label("Effort (points)").fill("5")
    accept.get_by_role("button", name="Accept").click()

    expect(page.locator("h1 .pill")).to_have_text("Accepted")
    expect(page.locator("#timeline")).to_contain_text("accepted the request for 2031-Q2, 5 points")
    # Only the actions still open to a lead remain.
    expect(page.get_by_role("button", name="Start work")).to_be_visible()
    expect(page.get_by_role("button", name="Triage")).to_have_count(0)
    obj.refresh_from_db()
    assert (obj.status, obj.planned_cycle, obj.effort) == ("accepted", later, 5)

    # A comment with an @mention completed from the suggestions.
    page.get_by_label("Comment").press_sequentially("Planned for Q2, @p")
    page.get_by_role("button", name="@pm").click()
    page.get_by_label("Comment").press_sequentially("please confirm the fields.")
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(page.locator("#timeline .comment")).to_contain_text(
        "Planned for Q2, @pm please confirm the fields."
    )
    assert obj.comments.get().mentions.get() == requester
    assert page.console_errors == []
