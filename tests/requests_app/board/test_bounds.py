"""The triage inbox is bounded: its first rows with totals over all, at a constant cost."""

import pytest

from requests_app.board import selectors
from requests_app.models import DataRequest
from tests import factories

S = DataRequest.Status
pytestmark = pytest.mark.django_db


def _page(client, domain, django_assert_max_num_queries, queries=None):
    with django_assert_max_num_queries(queries or 99) as ctx:
        response = client.get(f"/domains/{domain.slug}/triage/")
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def test_a_swamped_inbox_shows_its_first_rows_and_the_totals_at_a_constant_cost(
    client, lead, target_domain, cycle, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(selectors, "TRIAGE_LIMIT", 3)
    monkeypatch.setattr(selectors, "DEFERRED_LIMIT", 2)
    client.force_login(lead)
    factories.DataRequestFactory(target_domain=target_domain, status=S.SUBMITTED)
    factories.DataRequestFactory(
        target_domain=target_domain, status=S.DEFERRED, planned_cycle=cycle
    )
    small_html, small_queries = _page(client, target_domain, django_assert_max_num_queries)
    assert "Showing the first" not in small_html

    factories.DataRequestFactory.create_batch(6, target_domain=target_domain, status=S.SUBMITTED)
    factories.DataRequestFactory.create_batch(
        4, target_domain=target_domain, status=S.DEFERRED, planned_cycle=cycle
    )
    html, queries = _page(client, target_domain, django_assert_max_num_queries, small_queries)
    assert queries == small_queries  # pinned: no query per row, shown or not
    assert "Showing the first 3 of 7 requests waiting" in html
    assert "The first 2 of 5 deferred requests" in html
    assert html.count('name="ids"') == 3
    # The page no longer grows with the inbox: three times the waiting rows, the same size
    # (give or take the shown rows' own titles).
    factories.DataRequestFactory.create_batch(14, target_domain=target_domain, status=S.SUBMITTED)
    bigger, _ = _page(client, target_domain, django_assert_max_num_queries, small_queries)
    assert bigger.count('name="ids"') == 3
    assert len(bigger) < len(html) * 1.15


def test_the_inbox_api_says_how_many_wait_beyond_its_first_rows(
    api_as, lead, target_domain, monkeypatch
):
    monkeypatch.setattr(selectors, "TRIAGE_LIMIT", 2)
    factories.DataRequestFactory.create_batch(3, target_domain=target_domain, status=S.SUBMITTED)
    body = api_as(lead).get(f"/api/v1/domains/{target_domain.slug}/triage/").json()
    assert (body["count"], body["truncated"], len(body["requests"])) == (3, True, 2)


def test_the_demand_order_reads_the_most_demanded_first_within_the_limit(target_domain):
    for demand in (1, 5, 3):
        factories.DataRequestFactory(target_domain=target_domain, status=S.SUBMITTED, demand=demand)
    items = selectors.triage_inbox(domain=target_domain, order="demand", limit=2)
    assert [i.request.demand for i in items] == [5, 3]


def test_a_board_row_costs_a_bounded_number_of_bytes_and_no_query(
    client, lead, target_domain, cycle, django_assert_max_num_queries
):
    from tests.requests_app.board.board_fixtures import make_planned
    from tests.requests_app.board.test_page_size import LEAD_ROW_BUDGET

    client.force_login(lead)
    url = f"/domains/{target_domain.slug}/board/?cycle={cycle.slug}"
    make_planned(target_domain, cycle, 3, 1)
    with django_assert_max_num_queries(99) as one_row:
        small = client.get(url).content.decode()
    for rank in range(2, 12):
        make_planned(target_domain, cycle, 3, rank)
    with django_assert_max_num_queries(len(one_row.captured_queries)):
        big = client.get(url).content.decode()
    # The lead's row: its link and controls naming the board's forms (move, reach = demand,
    # score), whose URLs and CSRF tokens the page carries once, whatever the number of rows.
    assert (len(big) - len(small)) / 10 < LEAD_ROW_BUDGET
    assert (
        big.count('form="board-move" name="up"') == big.count('form="board-move" name="down"') == 11
    )
    assert big.count("<form") == small.count("<form")
    assert big.count("csrfmiddlewaretoken") == small.count("csrfmiddlewaretoken")
