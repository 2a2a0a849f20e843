"""A signed-in user opens the quarterly review and sees the charts and the figures; staff freeze
it and see the frozen figures beside the live ones."""

from __future__ import annotations

import pytest
from django.utils import timezone

from review.models import ReviewSnapshot
from review.selectors import review_for
from tests.review.review_fixture import build_review_world


@pytest.fixture
def world(transactional_db, settings):
    settings.TRIAGE_SLA_WORKING_DAYS = 5
    return build_review_world()


def test_the_review_page_shows_charts_and_figures(world, browser_page, login_as, requester):
    page = login_as(browser_page, requester)
    page.goto(page.live_url("/cycles/2027-q2/review/"))
    assert page.get_by_role("heading", name="Roadmap review: 2027-Q2").is_visible()

    charts = page.locator("svg.chart[role=img]")
    assert charts.count() == 4
    assert page.get_by_role("img", name="Outcomes per producing domain").is_visible()
    assert page.get_by_role("img", name="Requests filed early vs late").is_visible()
    heat = page.locator("#chart-dependencies")
    assert heat.locator("rect.heat").count() == 12  # 4 requesting rows × 3 producing columns
    assert heat.bounding_box()["width"] > 100  # rendered, not collapsed

    filed = page.locator('tr[data-figure="filed"] td.live')
    assert filed.inner_text() == "15"
    assert page.locator('tr[data-figure="early_pct"] td.live').inner_text() == "60.0%"
    assert page.locator('tr[data-domain="payments"] td').nth(0).inner_text() == "5"
    assert page.get_by_text("No source data yet").is_visible()
    assert page.console_errors == []


def test_staff_freeze_the_review_and_see_it_frozen(world, browser_page, login_as, staff):
    page = login_as(browser_page, staff)
    page.goto(page.live_url("/cycles/2027-q2/review/"))
    page.get_by_role("button", name="Freeze the review").click()
    # Eager Celery computes the snapshot in the request; the page comes back on the frozen view.
    page.wait_for_url("**/cycles/2027-q2/review/?view=frozen")
    assert page.get_by_text("You are reading the frozen figures").is_visible()
    assert page.get_by_text("Frozen on").is_visible()
    assert page.locator('tr[data-figure="filed"] td.frozen').inner_text() == "15"
    assert page.console_errors == []


def test_the_progress_bar_lands_on_the_frozen_figures_when_the_snapshot_is_done(
    world, browser_page, login_as, staff
):
    """A worker computes the snapshot while the page polls; when it is done, htmx goes to the
    frozen figures (not a reload of the live page)."""
    snapshot = ReviewSnapshot.objects.create(
        cycle=world.cycle, created_by=staff, status="running", progress=40
    )
    page = login_as(browser_page, staff)
    page.goto(page.live_url("/cycles/2027-q2/review/"))
    assert page.locator("progress").get_attribute("value") == "40"

    # What the worker does when it finishes (services.review_snapshot_compute, without the wait).
    ReviewSnapshot.objects.filter(pk=snapshot.pk).update(
        status="done",
        progress=100,
        data=review_for(cycle=world.cycle),
        finished_at=timezone.now(),
    )
    page.wait_for_url("**/cycles/2027-q2/review/?view=frozen")
    assert page.get_by_text("You are reading the frozen figures").is_visible()
    assert page.get_by_role("heading", name="Frozen charts").is_visible()
    assert page.console_errors == []


def test_the_review_prints_as_a_handout_without_navigation(world, browser_page, login_as, staff):
    page = login_as(browser_page, staff)
    page.goto(page.live_url("/cycles/2027-q2/review/"))
    assert page.get_by_role("navigation", name="Main").is_visible()
    page.emulate_media(media="print")
    for hidden in (
        page.get_by_role("navigation", name="Main"),
        page.locator("footer.footer"),
        page.get_by_role("link", name="Download CSV"),
        page.get_by_role("button", name="Freeze the review"),
    ):
        assert hidden.is_hidden()
    assert page.get_by_role("heading", name="Roadmap review: 2027-Q2").is_visible()
    assert page.locator("svg.chart[role=img]").first.is_visible()
    assert page.locator('tr[data-figure="filed"] td.live').inner_text() == "15"
    assert page.console_errors == []
