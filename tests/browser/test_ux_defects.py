"""Issue #13, "defects seen": each one walked in Chromium as the PM, the lead or staff met it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from notifications.models import Notification
from requests_app import services
from requests_app.models import DataRequest, DomainCycleCapacity
from tests import factories
from tests.requests_app.board.board_fixtures import make_planned
from tests.requests_app.conftest import make_cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = DataRequest.Status
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LONG_WORD = "warehouse.payments_curated.refund_events_" * 8  # 336 characters, no space


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def _board_order(page) -> list[str]:
    return page.locator("tr.board-row").evaluate_all("rows => rows.map(r => r.dataset.id)")


# --- 1. drag and drop is saved ------------------------------------------------------------------


def test_a_lead_drags_a_row_with_the_mouse_and_the_new_order_survives_a_reload(
    browser_page, login_as, lead, target_domain
):
    cycle = make_cycle("2031-Q1", deadline_in_days=20)
    DomainCycleCapacity.objects.create(domain=target_domain, cycle=cycle, capacity=100)
    first, second, third = (make_planned(target_domain, cycle, 2, rank) for rank in (1, 2, 3))
    page = login_as(browser_page, lead)
    page.set_viewport_size({"width": 1280, "height": 1100})  # all three rows on screen
    page.goto(page.live_url(f"/domains/payments/board/?cycle={cycle.slug}"))
    assert _board_order(page) == [str(first.pk), str(second.pk), str(third.pk)]

    # Grab the last row by its rank cell and drop it above the first, with a real mouse.
    source = page.locator(f'tr.board-row[data-id="{third.pk}"] td').first.bounding_box()
    target = page.locator(f'tr.board-row[data-id="{first.pk}"] td').first.bounding_box()
    with page.expect_response(lambda r: "/board/reorder/" in r.url) as answer:
        page.mouse.move(source["x"] + 5, source["y"] + source["height"] / 2)
        page.mouse.down()
        page.mouse.move(source["x"] + 5, source["y"] - 10, steps=5)
        page.mouse.move(target["x"] + 5, target["y"] + 2, steps=10)
        page.mouse.up()
    assert answer.value.status == 200

    page.reload()
    assert _board_order(page) == [str(third.pk), str(first.pk), str(second.pk)]
    # The keyboard path stays: every row still has its move buttons.
    expect(page.locator(f"#down-{third.pk}")).to_be_enabled()
    assert page.console_errors == []


# --- 2. closed cycles ---------------------------------------------------------------------------


def test_forms_do_not_offer_a_cycle_that_has_ended(
    browser_page, login_as, requester, lead, target_domain
):
    today = timezone.localdate()
    factories.CycleFactory(
        name="2026-Q3",
        slug="2026-q3",
        request_deadline=today - dt.timedelta(days=120),
        starts_on=today - dt.timedelta(days=91),
        ends_on=today - dt.timedelta(days=1),
    )
    make_cycle("2031-Q1", deadline_in_days=20)
    page = login_as(browser_page, requester)
    page.goto(page.live_url("/requests/new/"))
    offered = page.locator("#id_needed_by_cycle option").all_inner_texts()
    assert "2031-Q1" in offered
    assert "2026-Q3" not in offered


# --- 3. opening a notification marks it read -----------------------------------------------------


def test_opening_a_notification_marks_it_read_and_the_badge_follows(
    browser_page, login_as, lead, target_domain
):
    data_request = factories.DataRequestFactory(target_domain=target_domain, status=S.SUBMITTED)
    path = data_request.get_absolute_url()
    for message in ("First news", "Second news"):
        Notification.objects.create(
            recipient=lead,
            kind="submitted",
            request=data_request,
            channel="in_app",
            message=message,
            payload={"path": path},
            dedupe_key=f"test:{message}",
            status="sent",
        )
    page = login_as(browser_page, lead)
    page.goto(page.live_url("/inbox/"))
    expect(page.locator("#unread-badge")).to_have_text("2")

    # Marking one read (htmx) updates the badge without a reload.
    page.get_by_role("button", name="Mark read: Second news").click()
    expect(page.locator("#unread-badge")).to_have_text("1")

    # Clicking the other one opens the request and marks it read.
    page.get_by_role("link", name="First news").click()
    page.wait_for_url(f"**{path}")
    expect(page.locator("#unread-badge")).to_have_count(0)
    assert not Notification.objects.filter(recipient=lead, read_at__isnull=True).exists()
    assert page.console_errors == []


# --- 4. a long word wraps -----------------------------------------------------------------------


def test_a_title_of_one_long_word_wraps_on_desktop_and_phone(
    browser_page, login_as, lead, target_domain
):
    cycle = make_cycle("2031-Q1", deadline_in_days=20)
    data_request = make_planned(target_domain, cycle, 3, 1, title=LONG_WORD[:200])
    factories.DataRequestFactory(
        target_domain=target_domain,
        needed_by_cycle=cycle,
        status=S.SUBMITTED,
        title=LONG_WORD[:200],
    )
    page = login_as(browser_page, lead)
    paths = [
        data_request.get_absolute_url(),
        "/requests/",
        f"/domains/payments/board/?cycle={cycle.slug}",
        "/domains/payments/triage/",
    ]
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        for path in paths:
            page.goto(page.live_url(path))
            assert _page_width(page) <= viewport["width"], (path, viewport)


# --- 5. over capacity: one wording, red ------------------------------------------------------------


def test_over_capacity_reads_the_same_on_the_board_and_the_domain_page_and_turns_red(
    browser_page, login_as, lead, target_domain
):
    cycle = make_cycle("2031-Q1", deadline_in_days=-10)  # running now, so the domain page lists it
    DomainCycleCapacity.objects.create(domain=target_domain, cycle=cycle, capacity=10)
    for rank, effort in enumerate([8, 6], start=1):
        make_planned(target_domain, cycle, effort, rank)
    page = login_as(browser_page, lead)
    page.goto(page.live_url(f"/domains/payments/board/?cycle={cycle.slug}"))
    board_words = page.locator("#board .capacity-words").inner_text()
    assert "4 over capacity" in board_words
    assert "-4" not in board_words
    bar = page.locator("#capacity-meter")
    expect(bar).to_have_class("capbar over")
    red = page.evaluate("getComputedStyle(document.querySelector('.over-capacity')).color")
    assert red == "rgb(179, 38, 30)"

    page.goto(page.live_url("/catalog/domains/payments/"))
    assert "4 over capacity" in page.locator(".capacity-words").first.inner_text()
    expect(page.locator("progress.capbar").first).to_have_class("capbar over")


# --- 6. error pages in the layout, a favicon -----------------------------------------------------


@pytest.mark.parametrize("debug", [False, True], ids=["production", "make-run"])
def test_an_unknown_page_answers_404_in_the_layout_with_a_way_back(
    debug, browser_page, login_as, requester, settings
):
    settings.DEBUG = debug
    page = login_as(browser_page, requester)
    response = page.goto(page.live_url("/no-such-page/"))
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    page.get_by_role("link", name="Back to the home page").click()
    page.wait_for_url(page.live_url("/"))
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(page.live_url(icon)).status == 200
    assert page.request.get(page.live_url("/favicon.ico")).status == 200


# --- 7. history as sentences, cycle names ---------------------------------------------------------


def test_history_reads_as_sentences_with_cycle_names(browser_page, login_as, lead, target_domain):
    lead.first_name, lead.last_name = "Lars", "Eriksen"
    lead.save()
    cycle = make_cycle("2031-Q1", deadline_in_days=20)
    data_request = factories.DataRequestFactory(
        target_domain=target_domain, needed_by_cycle=cycle, status=S.SUBMITTED
    )
    services.request_accept(data_request=data_request, actor=lead, planned_cycle=cycle, effort=3)
    page = login_as(browser_page, lead)
    page.goto(page.live_url(data_request.get_absolute_url()))
    timeline = page.locator("#timeline").inner_text()
    assert "Lars Eriksen accepted the request for 2031-Q1, 3 points" in timeline
    assert "2031-q1" not in timeline


# --- 8. digest timing, keys, review tables, long titles ---------------------------------------------


def test_the_weekly_digest_offers_no_daily_timing_and_keys_stay_on_one_line(
    browser_page, login_as, requester, target_domain
):
    factories.DataRequestFactory(requester=requester, target_domain=target_domain)
    page = login_as(browser_page, requester)
    page.goto(page.live_url("/me/preferences/"))
    expect(page.locator("#planning_digest-digest option")).to_have_count(0)
    expect(page.get_by_text("Weekly, on its own schedule")).to_be_visible()

    page.set_viewport_size(PHONE)
    page.goto(page.live_url("/requests/"))
    lines = page.locator("td.key").first.evaluate(
        "td => { const r = document.createRange(); r.selectNodeContents(td); "
        "return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }"
    )
    assert lines == 1  # "DR-1" on one line


def test_a_title_over_200_characters_is_refused_with_its_length_not_cut(
    browser_page, login_as, requester, target_domain
):
    make_cycle("2031-Q1", deadline_in_days=20)
    page = login_as(browser_page, requester)
    page.goto(page.live_url("/requests/new/"))
    expect(page.get_by_text("at most 200 characters")).to_be_visible()
    page.get_by_label("Title").fill("x" * 230)
    assert len(page.get_by_label("Title").input_value()) == 230  # nothing cut silently
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("it has 230")).to_be_visible()


# --- 10. the API token is shown once ------------------------------------------------------------------


def test_a_new_api_token_is_shown_once(browser_page, login_as, requester):
    page = login_as(browser_page, requester)
    page.goto(page.live_url("/accounts/profile/"))
    page.get_by_label("Name").fill("laptop")
    page.get_by_role("button", name="Create a token").click()
    key = page.locator("#api-token").inner_text()
    assert len(key) > 20
    page.goto(page.live_url("/accounts/profile/"))
    expect(page.locator("#api-token")).to_have_count(0)
    assert key not in page.content()
