"""Issue #13 on the quarterly review: tables stay inside their cards, freezing shows its progress
and then what a second freeze would do."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.review.review_fixture import build_review_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REVIEW = "/cycles/2027-q2/review/"
INSIDE_CARDS = """() => [...document.querySelectorAll('.card table')].filter((t) => {
  const card = t.closest('.card');
  return t.getBoundingClientRect().right > card.getBoundingClientRect().right + 0.5
    && t.closest('.table-wrap') === null;
}).length"""
WIDE = """() => [...document.querySelectorAll('.card')].filter(
  (c) => c.scrollWidth > c.clientWidth + 1 && !c.querySelector('.table-wrap')).length"""


@pytest.fixture
def world(transactional_db, settings):
    settings.TRIAGE_SLA_WORKING_DAYS = 5
    return build_review_world()


def test_the_review_tables_stay_inside_their_cards(world, browser_page, login_as, requester):
    page = login_as(browser_page, requester)
    for viewport in ({"width": 1280, "height": 900}, {"width": 390, "height": 844}):
        page.set_viewport_size(viewport)
        page.goto(page.live_url(REVIEW))
        assert page.evaluate(INSIDE_CARDS) == 0
        assert page.evaluate(WIDE) == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_freezing_shows_progress_then_what_a_second_freeze_would_do(
    world, browser_page, login_as, staff
):
    page = login_as(browser_page, staff)
    page.goto(page.live_url(REVIEW))
    # What the page shows while the POST runs, recorded as the form is sent (the page unloads
    # before a test could look, since eager Celery builds the snapshot within the request).
    page.evaluate(
        """() => document.addEventListener("submit", () => sessionStorage.setItem("busy",
        JSON.stringify({
          disabled: document.querySelector("#freeze-button").disabled,
          text: document.querySelector("#freeze-button").textContent,
          bar: !document.querySelector("progress.freeze-busy").hidden,
        })))"""
    )
    page.get_by_role("button", name="Freeze the review").click()
    page.wait_for_url("**/review/?view=frozen")
    busy = page.evaluate("JSON.parse(sessionStorage.getItem('busy'))")
    assert busy == {
        "disabled": True,
        "text": "Freezing the review: computing the figures…",
        "bar": True,
    }
    expect(page.get_by_role("button", name="Freeze again")).to_be_visible()
    expect(page.locator("#freeze-help")).to_contain_text("A second freeze stores today's figures")
    assert page.console_errors == []


@pytest.mark.parametrize("width", [1280, 390])
def test_the_review_opens_on_cards_with_their_change_then_charts_then_tables(
    width, world, browser_page, login_as, requester
):
    page = login_as(browser_page, requester)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.live_url(REVIEW))
    cards = page.locator(".figure-card")
    expect(cards).to_have_count(6)
    for label in ("Requests filed", "Filed early", "Accepted", "Delivered", "Capacity used",
                  "Median lead time"):  # fmt: skip
        expect(page.locator(".figure-card", has_text=label)).to_be_visible()
    filed = page.locator('[data-card="filed"]')
    expect(filed.locator(".figure-value")).to_have_text("15")
    expect(filed.locator(".figure-change")).to_contain_text("vs 2027-Q1")
    # Charts come before the tables.
    order = page.evaluate(
        """() => [document.querySelector('.headline-cards'), document.querySelector('.charts'),
                  document.querySelector('table.headlines'), document.querySelector('table.domains')]
                 .map((el) => el.getBoundingClientRect().top + scrollY)"""
    )
    assert order == sorted(order)
    # "late (16 d)" says what it means.
    missed = page.locator("table.missed")
    assert " d)" not in missed.inner_text()
    expect(missed.locator(".lead-time-words").first).to_contain_text("before the cycle started")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.console_errors == []
