"""On PostgreSQL the triage page's deferred list reads each cycle's first deferrals from
`req_deferred_idx` and shows exactly what ordering all of them would: the first by the cycle
deferred to (start date, none last), then by when they were deferred."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import F
from django.utils import timezone

from requests_app.board import selectors
from requests_app.models import DataRequest
from tests import factories
from tests.conftest import require_or_skip

pytestmark = [pytest.mark.integration, pytest.mark.django_db]
S = DataRequest.Status


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        require_or_skip("needs PostgreSQL (DATABASE_URL)")


def test_the_first_deferrals_per_cycle_are_the_first_of_all(target_domain):
    today = timezone.localdate()
    # Cycles created out of start order, so no id order can stand in for the start date.
    cycles = [
        factories.CycleFactory(
            name=f"C{i}",
            slug=f"c{i}",
            starts_on=today + dt.timedelta(days=90 * start),
            ends_on=today + dt.timedelta(days=90 * start + 80),
            request_deadline=today + dt.timedelta(days=90 * start - 30),
        )
        for i, start in enumerate((3, 1, 2))
    ]
    other = factories.DomainFactory(slug="other")
    base = timezone.now()
    for i in range(40):
        for domain in (target_domain, other):
            factories.DataRequestFactory(
                target_domain=domain,
                status=S.DEFERRED,
                planned_cycle=cycles[i % 4] if i % 4 < 3 else None,
                decided_at=None if i % 7 == 0 else base - dt.timedelta(hours=(i * 37) % 11),
            )
    factories.DataRequestFactory(target_domain=target_domain, status=S.SUBMITTED)
    everything = list(
        DataRequest.objects.filter(target_domain=target_domain, status=S.DEFERRED).order_by(
            F("planned_cycle__starts_on").asc(nulls_last=True), "decided_at", "id"
        )
    )
    for limit in (1, 7, 25, 40, 100):
        shown = selectors.deferred_for(domain=target_domain, limit=limit)
        assert [r.pk for r in shown] == [r.pk for r in everything[:limit]]


def test_the_deferred_list_reads_the_deferred_index():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE requests_app_datarequest")
        cursor.execute("SET enable_seqscan = off")
        try:
            sql = selectors._FIRST_DEFERRED_SQL
            cursor.execute("EXPLAIN " + sql, [1, 50, 1, 50, 50])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan")
    assert "req_deferred_idx" in plan, plan
