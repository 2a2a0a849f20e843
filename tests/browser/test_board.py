"""A lead reorders the board with the keyboard buttons and sees the cut line move."""

import pytest
from playwright.sync_api import expect

from requests_app.models import DomainCycleCapacity
from tests import factories
from tests.requests_app.board.board_fixtures import make_planned

pytestmark = pytest.mark.django_db(transaction=True)


def _after_cut_line(page) -> str:
    return page.locator("#cut-line + tr.board-row").get_attribute("data-id")


def _world():
    """A lead and their board: efforts 4, 5, 3, 2 in rank order, capacity 10."""
    domain = factories.DomainFactory(name="Payments", slug="payments")
    lead = factories.UserFactory(username="lead")
    domain.leads.add(lead)
    cycle = factories.CycleFactory()
    DomainCycleCapacity.objects.create(domain=domain, cycle=cycle, capacity=10)
    requests = [
        make_planned(domain, cycle, effort, rank)
        for rank, effort in enumerate([4, 5, 3, 2], start=1)
    ]
    return lead, cycle, requests


@pytest.fixture
def board(browser_page, login_as):
    """The lead's board page: efforts 4, 5, 3, 2 in rank order, capacity 10."""
    lead, cycle, requests = _world()
    page = login_as(browser_page, lead)
    page.goto(page.live_url(f"/domains/payments/board/?cycle={cycle.slug}"))
    assert _after_cut_line(page) == str(requests[2].pk)  # 4 + 5 fit in 10; 3 does not
    return page, requests


def test_lead_moves_a_request_up_with_the_keyboard_and_the_cut_line_moves(board):
    page, (four, five, three, _two) = board

    # Keyboard only: focus "move up" on the 3-point request and press Enter twice.
    rows = page.locator("tr.board-row")
    page.focus(f"#up-{three.pk}")
    page.keyboard.press("Enter")
    expect(rows.nth(1)).to_have_attribute("data-id", str(three.pk))
    expect(page.locator(f"#up-{three.pk}")).to_be_focused()  # focus survives the swap
    page.keyboard.press("Enter")
    expect(rows.first).to_have_attribute("data-id", str(three.pk))
    # Now 3 + 4 fit and the 5-point request is the first above capacity.
    assert _after_cut_line(page) == str(five.pk)
    assert page.locator("tr.board-row").first.get_attribute("data-id") == str(three.pk)
    assert page.console_errors == []
    four.refresh_from_db()
    assert four.rank == 2


def test_lead_edits_an_effort_inline_and_the_cut_line_moves(board):
    page, (four, five, _three, _two) = board

    # The 5-point estimate was too high: 1 point. Now 4 + 1 + 3 + 2 all fit.
    page.fill(f"#effort-{five.pk}", "1")
    with page.expect_request(lambda r: "/board/score/" in r.url) as sent:
        page.press(f"#effort-{five.pk}", "Enter")  # saves its row, not the board form's first
    assert f"effort-{five.pk}=1" in sent.value.post_data
    assert f"request={five.pk}" in sent.value.post_data
    assert f"effort-{four.pk}" not in sent.value.post_data  # only the saved row's inputs go
    expect(page.locator("#cut-line")).to_have_count(0)
    expect(page.locator(f"#effort-{five.pk}")).to_have_value("1")
    assert page.console_errors == []
    five.refresh_from_db()
    assert five.effort == 1


@pytest.mark.usefixtures("_plain_http_cookies")
def test_the_board_works_without_javascript(browser, live_server, login_as):
    """Every control of a row posts the board's form for its action, as plain HTML forms do."""
    lead, cycle, (four, five, three, _two) = _world()
    context = browser.new_context(java_script_enabled=False)
    page = login_as(context.new_page(), lead)
    page.goto(f"{live_server.url}/domains/payments/board/?cycle={cycle.slug}")
    rows = page.locator("tr.board-row")

    page.click(f"#down-{four.pk}")  # a full page post, back to the board
    expect(rows.first).to_have_attribute("data-id", str(five.pk))
    four.refresh_from_db()
    assert four.rank == 2

    # Enter does not save another row (the board form's default button is disabled); the row's
    # Score button saves its effort.
    page.fill(f"#effort-{five.pk}", "1")
    page.press(f"#effort-{five.pk}", "Enter")
    page.click(f"#score-{five.pk}")
    expect(page.locator("#cut-line")).to_have_count(0)
    five.refresh_from_db()
    assert (five.effort, four.effort) == (1, 4)

    # Reach, impact and confidence: their own page, which comes back to the board.
    rows.filter(has=page.locator(f"#score-{three.pk}")).get_by_role(
        "link", name="Reach, impact, confidence"
    ).click()
    page.get_by_label("Reach").fill("30")
    page.get_by_label("Impact").select_option("2")
    page.get_by_label("Confidence %").fill("50")
    page.get_by_role("button", name="Save the score").click()
    expect(page.locator(f"#score-{three.pk}")).to_have_text("Score: 10.0")
    page.click(f"#reach-demand-{three.pk}")
    expect(page.locator(f"#score-{three.pk}")).not_to_have_text("Score: 10.0")  # reach 30 → 1
    three.refresh_from_db()
    assert three.reach == three.demand
    context.close()
