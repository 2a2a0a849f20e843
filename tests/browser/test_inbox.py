"""A PM submits a request in their browser; the lead sees the unread badge, opens the inbox and
marks the notification read."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from notifications.models import Notification
from requests_app.models import DataRequest
from tests.requests_app.conftest import make_cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pm_page(browser, live_server, _plain_http_cookies):
    """A second, separate browser session: the PM's (the lead uses ``browser_page``)."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_the_lead_sees_the_badge_after_a_pm_submits_opens_the_inbox_and_marks_it_read(
    browser_page, pm_page, login_as, requester, lead, target_domain
):
    cycle = make_cycle("2031-Q1", deadline_in_days=20)
    page = browser_page
    login_as(page, lead)
    expect(page.locator("#unread-badge")).to_have_count(0)  # nothing yet

    # The PM files and submits a request in their own session.
    login_as(pm_page, requester)
    pm_page.goto(page.live_url("/requests/new/"))
    pm_page.get_by_label("Title").fill("Refund events per merchant")
    pm_page.get_by_label("What you need").fill("Daily refunds with merchant and reason.")
    pm_page.get_by_label("Why you need it").fill("Chargeback forecasting for Q1.")
    pm_page.get_by_label("Producing domain").select_option("payments")
    pm_page.get_by_label("Needed by cycle").select_option(cycle.slug)
    pm_page.get_by_role("button", name="Submit").click()
    submitted = DataRequest.objects.get()
    expect(pm_page).to_have_url(re.compile(rf"/requests/{submitted.pk}/$"))

    # The lead's next page shows the badge; the inbox lists the new request, unread.
    page.reload()
    expect(page.locator("#unread-badge")).to_have_text("1")
    page.get_by_role("link", name="Inbox, 1 unread").click()
    expect(page).to_have_url(re.compile(r"/inbox/$"))
    unread = page.locator(".notification.unread")
    expect(unread).to_have_count(1)
    expect(unread).to_contain_text(f"New request for Payments: {submitted.key}")
    # The link opens the request through the inbox, which marks it read on the way.
    notification_pk = Notification.objects.get(recipient=lead, channel="in_app").pk
    expect(unread.get_by_role("link")).to_have_attribute("href", f"/inbox/{notification_pk}/open/")

    # Mark it read: the row is swapped in place (htmx) and the badge is gone on the next page.
    unread.get_by_role("button", name=re.compile(r"^Mark read")).click()
    expect(page.locator(".notification.unread")).to_have_count(0)
    expect(page.locator(".notification")).to_contain_text("· read")
    notification = Notification.objects.get(recipient=lead, channel="in_app")
    assert notification.read_at is not None
    page.reload()
    expect(page.locator("#unread-badge")).to_have_count(0)
    expect(page.get_by_role("link", name="Inbox", exact=True)).to_be_visible()
    assert page.console_errors == []
