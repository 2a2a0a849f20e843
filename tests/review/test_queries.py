"""The review is a fixed number of queries: the same for a small cycle and a ten times bigger one;
and none at all while it is cached."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from products.models import DataProduct
from requests_app.models import DataRequest
from review.selectors import review_compute, review_for
from tests import factories

pytestmark = pytest.mark.django_db

S = DataRequest.Status
STATUSES = [s for s in S.values if s != S.DRAFT]
# SQLite has no median: one window query per median and level (4) where PostgreSQL needs one.
QUERIES = {"sqlite": 8, "postgresql": 5}


def grow(cycle, later, domains, product, n):
    """``n`` requests spread over every status, both early and late, every domain pair."""
    pairs = itertools.cycle(itertools.product(domains, domains))
    rows = []
    for i in range(n):
        requesting, target = next(pairs)
        status = STATUSES[i % len(STATUSES)]
        submitted = dt.datetime(2027, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=i % 120)
        rows.append(
            DataRequest(
                title=f"r{i}",
                requester=factories.UserFactory(username=f"u{i % 5}"),
                requesting_domain=requesting,
                target_domain=target,
                needed_by_cycle=cycle,
                status=status,
                submitted_at=submitted,
                triaged_at=submitted + dt.timedelta(days=i % 9) if status != S.SUBMITTED else None,
                is_late=i % 3 == 0,
                lead_time_days=90 - i % 120,
                planned_cycle=later if status == S.DEFERRED else cycle,
                effort=1 + i % 5,
                delivered_product=product if status == S.DELIVERED else None,
                delivered_at=submitted + dt.timedelta(days=100) if status == S.DELIVERED else None,
            )
        )
    DataRequest.objects.bulk_create(rows)


def count_queries(cycle):
    with CaptureQueriesContext(connection) as captured:
        review = review_compute(cycle=cycle)
    return len(captured), review


def test_the_review_query_count_does_not_grow_with_the_cycle():
    cycle = factories.CycleFactory(starts_on=dt.date(2027, 4, 1))
    later = factories.CycleFactory(starts_on=dt.date(2027, 7, 1))
    domains = [factories.DomainFactory() for _ in range(3)]
    product = factories.DataProductFactory(domain=domains[0], status=DataProduct.Status.SHARED)

    grow(cycle, later, domains, product, 20)
    small, small_review = count_queries(cycle)
    assert small_review["overall"]["filed"] == 20

    grow(cycle, later, domains + [factories.DomainFactory()], product, 200)
    big, big_review = count_queries(cycle)
    assert big_review["overall"]["filed"] == 220
    assert len(big_review["domains"]) == 4

    assert big == small == QUERIES[connection.vendor], (small, big)


def test_a_cached_review_costs_no_query(django_assert_num_queries):
    cycle = factories.CycleFactory(starts_on=dt.date(2027, 4, 1))
    later = factories.CycleFactory(starts_on=dt.date(2027, 7, 1))
    domains = [factories.DomainFactory() for _ in range(3)]
    product = factories.DataProductFactory(domain=domains[0], status=DataProduct.Status.SHARED)
    grow(cycle, later, domains, product, 20)
    first = review_for(cycle=cycle)
    with django_assert_num_queries(0):
        assert review_for(cycle=cycle) == first
