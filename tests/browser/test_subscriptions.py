"""A lead subscribes a receiver on their domain's page, copies the secret shown once, and sends
a test event: the page shows what the (real, loopback) receiver answered. At 390 px too."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from notifications.models import Subscription
from notifications.subscriptions import crypto
from tests.notifications.receivers import SignedReceiver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def receiver():
    server = SignedReceiver()
    yield server
    server.close()


def test_a_lead_subscribes_a_url_and_sends_a_test_event(
    browser_page, login_as, lead, target_domain, receiver
):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    login_as(page, lead)
    page.goto(page.live_url(f"/domains/{target_domain.slug}/subscriptions/"))
    expect(page.get_by_text("No subscription yet.")).to_be_visible()

    page.get_by_label("Receiver URL").fill(receiver.url)
    page.get_by_label("Format").select_option("teams")
    page.get_by_label("Decision: accepted").check()
    page.get_by_label("Decision: declined").check()
    page.get_by_role("button", name="Subscribe").click()
    # The answer comes in place once htmx runs; a click before the page's deferred scripts ran
    # would post the form the plain way (tested in tests/notifications), so wait for them here.
    page.wait_for_load_state("load")

    secret = page.locator("#secret-value").inner_text()
    subscription = Subscription.objects.get(domain=target_domain)
    assert crypto.decrypt(subscription.secret_encrypted) == secret
    assert subscription.events == ["accepted", "declined"]
    receiver.secret = secret  # the receiver verifies with the secret the page showed

    result = page.locator(f"#test-result-{subscription.pk}")
    try:
        with page.expect_response(lambda r: r.url.endswith("/test/"), timeout=20_000) as sent:
            page.get_by_role("button", name="Send a test event").click()
    except PlaywrightTimeoutError:  # say why no request went out (a script that did not load?)
        pytest.fail(f"no test event was sent; page errors: {page.console_errors}")
    answer = sent.value
    assert (answer.status, answer.request.headers.get("hx-request")) == (200, "true"), (
        answer.status,
        answer.request.headers,
        answer.text()[:2000],
    )
    expect(result).to_contain_text("The receiver answered 200", timeout=20_000)
    assert len(receiver.received) == 1
    assert receiver.json()["attachments"][0]["content"]["type"] == "AdaptiveCard"

    # A receiver that refuses shows its answer too.
    receiver.secret = "whsec_something-else"
    page.get_by_role("button", name="Send a test event").click()
    expect(result).to_contain_text("The receiver answered 401", timeout=20_000)

    # Opening the page again never shows the secret; no horizontal scroll at 390 px.
    page.goto(page.live_url(f"/domains/{target_domain.slug}/subscriptions/"))
    expect(page.locator("#secret-value")).to_have_count(0)
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
        " > window.innerWidth + 1).map(e => e.tagName + '#' + e.id + '.' + e.className"
        " + ' ' + e.getBoundingClientRect().right).slice(0, 8)"
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), wide
    assert page.console_errors == []


def test_the_form_is_usable_with_the_keyboard(browser_page, login_as, lead, target_domain):
    page = browser_page
    login_as(page, lead)
    page.goto(page.live_url(f"/domains/{target_domain.slug}/subscriptions/"))
    page.get_by_label("Receiver URL").focus()
    page.keyboard.type("https://hooks.example.com/x")
    page.keyboard.press("Tab")  # format
    page.keyboard.press("Tab")  # first event
    page.keyboard.press("Space")
    page.get_by_role("button", name="Subscribe").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#secret-value")).to_be_visible()
    assert Subscription.objects.get(domain=target_domain).events == ["submitted"]
