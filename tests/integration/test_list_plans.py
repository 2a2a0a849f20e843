"""On PostgreSQL the request list's sorts and searches read an index in the page's order and stop
at the page (migration 0013), rather than reading and sorting every request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import QueryDict

from requests_app.board import selectors as board
from requests_app.filters import DataRequestFilter
from requests_app.models import DataRequest
from tests import factories
from tests.conftest import require_or_skip

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def postgres_planner():
    if connection.vendor != "postgresql":
        require_or_skip("needs PostgreSQL (DATABASE_URL)")
    factories.DataRequestFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE requests_app_datarequest")
        cursor.execute("SET enable_seqscan = off")  # a tiny table: ask what it *could* use
        # ...in the page's order: a tiny table might rather sort a few rows from another index.
        cursor.execute("SET enable_sort = off")
        cursor.execute("SET enable_incremental_sort = off")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_sort")
        cursor.execute("RESET enable_incremental_sort")
        cursor.execute("RESET enable_indexscan")


def plan(query: str) -> str:
    qs = DataRequestFilter(QueryDict(query), queryset=DataRequest.objects.all()).qs
    return qs.values("id", "title")[:51].explain()


@pytest.mark.parametrize(
    ("query", "index"),
    [
        ("ordering=-score", "req_score_idx"),
        ("ordering=-urgency", "req_urgency_desc_idx"),
        ("ordering=urgency", "req_urgency_asc_idx"),
        ("q=nothing+like+it", "req_title_trgm_idx"),
        ("needed_by_cycle={cycle}&is_late=true", "req_cycle_late_idx"),
    ],
)
def test_list_sorts_and_searches_read_an_index(query, index):
    cycle = factories.CycleFactory()
    if "trgm" in index:  # a tiny table would rather walk its primary key backwards and filter
        with connection.cursor() as cursor:
            cursor.execute("SET enable_indexscan = off")
            cursor.execute("RESET enable_sort")  # the search sorts its matches
    explained = plan(query.format(cycle=cycle.slug))
    assert index in explained
    assert "Sort" not in explained or "trgm" in index  # the search sorts only its matches


def test_the_triage_inbox_reads_its_index_in_page_order():
    domain = factories.DomainFactory()
    qs = DataRequest.objects.filter(target_domain=domain, status="submitted").order_by(
        *board.INBOX_ORDERS["age"]
    )[: board.TRIAGE_LIMIT]
    explained = qs.explain()
    assert "req_triage_age_idx" in explained
    assert "Sort" not in explained
