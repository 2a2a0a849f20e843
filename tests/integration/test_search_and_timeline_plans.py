"""On PostgreSQL the search box finds its matches through a GIN index on the very document it ranks
(migrations requests_app 0015, products 0005), and the roadmap timeline reads each shown cell's
first promises and counts the rest from one partial index (req_promised_idx), rather than ranking
or numbering every request."""

from __future__ import annotations

import pytest
from django.db import connection

from products.models import DataProduct
from requests_app import roadmap, search
from requests_app.board.versions import bump_board
from requests_app.models import DataRequest, DomainCycleCapacity
from tests import factories
from tests.conftest import require_or_skip

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def postgres_planner():
    if connection.vendor != "postgresql":
        require_or_skip("needs PostgreSQL (DATABASE_URL)")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_sort")
        cursor.execute("RESET enable_incremental_sort")
        cursor.execute("RESET enable_bitmapscan")


def what_it_could_use(*tables: str) -> None:
    """A tiny table: ask the planner what it *could* use rather than read a page of rows."""
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {table}")
        cursor.execute("SET enable_seqscan = off")


def test_the_search_finds_requests_through_the_index_of_its_own_document():
    factories.DataRequestFactory.create_batch(3, title="Orders feed")
    what_it_could_use("requests_app_datarequest")
    qs = search._ranked(DataRequest.objects.all(), "orders", ["orders"], search.REQUEST_FIELDS)
    explained = qs.values("pk")[: search.LIMIT].explain()
    assert "req_search_idx" in explained
    # Only the bounded candidates are looked up and ranked, by primary key.
    assert "requests_app_datarequest_pkey" in explained


def test_the_search_finds_data_products_through_the_index_of_their_document():
    factories.DataProductFactory.create_batch(3, name="Orders")
    what_it_could_use("products_dataproduct")
    qs = search._ranked(DataProduct.objects.all(), "orders", ["orders"], search.PRODUCT_FIELDS)
    assert "product_search_idx" in qs.values("pk")[: search.LIMIT].explain()


def promised_cell(promises: int):
    """A quarter, a producing domain and a requesting team, with ``promises`` ranked promises."""
    cycle, domain, team = (
        factories.CycleFactory(),
        factories.DomainFactory(),
        factories.DomainFactory(),
    )
    for rank in range(1, promises + 1):
        factories.DataRequestFactory(
            target_domain=domain,
            requesting_domain=team,
            planned_cycle=cycle,
            status=DataRequest.Status.ACCEPTED,
            rank=rank,
        )
    return cycle, domain, team


@pytest.mark.parametrize("filtered", ["", "producer", "team"])
def test_the_timeline_reads_each_cell_in_rank_order_from_the_promised_index(filtered):
    cycle, domain, team = promised_cell(2)
    what_it_could_use("requests_app_datarequest", "products_domain")
    with connection.cursor() as cursor:
        # ...in rank order: a tiny cell would rather sort its two rows (the page's final order,
        # by domain name, is one sort of the shown rows whatever this says).
        cursor.execute("SET enable_sort = off")
        cursor.execute("SET enable_incremental_sort = off")
        cursor.execute("SET enable_bitmapscan = off")  # two rows: any index would do
        sql, params = roadmap.per_cell_sql(
            cycles=[cycle],
            producer=domain if filtered == "producer" else None,
            team=team if filtered == "team" else None,
        )
        cursor.execute(f"EXPLAIN {sql}", params)
        explained = "\n".join(row[0] for row in cursor.fetchall())
    # Whether a cell holds a promise, its count when no stored total answers, and its first
    # promises: all from req_promised_idx (the first two from the index alone once the table is
    # vacuumed: every column they read is in it); no other index of the table, and no reading of
    # the whole table.
    assert explained.count("using req_promised_idx") == 3, explained
    assert "requests_app_datarequest_pkey" not in explained
    assert "req_board_idx" not in explained


def test_the_timeline_counts_a_cell_from_its_boards_stored_total():
    """The overview and a domain's timeline read a cell's count from the board's stored totals
    (kept equal to a recount by the board services, tests/requests_app/board/test_totals.py);
    a count of the promises to one team, which no board stores, is counted from the index."""
    cycle, domain, team = promised_cell(3)
    bump_board(domain.pk, cycle.pk)
    stored = DomainCycleCapacity.objects.get(domain=domain, cycle=cycle)
    assert stored.board_promised == 3
    # The stored figure is what the timeline shows (here made different, to tell them apart).
    DomainCycleCapacity.objects.filter(pk=stored.pk).update(board_promised=40)
    for producer in (None, domain):
        timeline = roadmap.roadmap_timeline(start=cycle.slug, producer=producer)
        assert timeline.rows[0].cells[0].total == 40
    narrowed = roadmap.roadmap_timeline(start=cycle.slug, team=team)
    assert narrowed.rows[0].cells[0].total == 3
