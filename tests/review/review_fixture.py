"""A small cycle built by hand for the review tests: 3 domains, every status, early and late.

Rows are written directly with the factories (not through the services) so the review is checked
against facts set here, and every expected figure in the tests was worked out by hand from this
table. Dates: cycle 2027-Q2 starts 2027-04-01, ends 2027-06-30, request deadline 2027-02-15; the
review is computed at ``NOW`` (Wednesday 2027-04-14 12:00 UTC), so with a 5-working-day triage SLA
a request still submitted before Wednesday 2027-04-07 12:00 is overdue.

| key | producing | requesting | status      | submitted  | lead | late | triage (d) | planned | effort |
|-----|-----------|------------|-------------|------------|------|------|------------|---------|--------|
| P1  | payments  | search     | delivered   | 2026-12-01 | 121  | no   | 2          | Q2      | 5      | new product, delivered 05-10
| P2  | payments  | logistics  | in_progress | 2027-01-10 | 81   | no   | 4          | Q2      | 3      |
| P3  | payments  | search     | accepted    | 2027-02-16 | 44   | yes  | 4          | Q2      | 2      |
| P4  | payments  | logistics  | declined    | 2027-02-01 | 59   | no   | 1          |         |        | reason
| P5  | payments  | search     | submitted   | 2027-04-02 | -1   | yes  | –          |         |        | overdue
| P6  | payments  | search     | draft       |            |      |      |            |         |        | never counts
| P7  | payments  | search     | accepted    | 2026-10-01 (needed Q1)  | | –          | Q2      | 4      | planned only
| S1  | search    | payments   | delivered   | 2027-01-01 | 90   | no   | 5          | Q2      | 4      | existing product, delivered 07-05 (after the cycle)
| S2  | search    | payments   | deferred    | 2027-01-31 | 60   | no   | 10         | Q3      |        | reason, moved to Q3
| S3  | search    | logistics  | deferred    | 2027-03-02 | 30   | yes  | 3          |         |        | reason, no later cycle
| S4  | search    | payments   | withdrawn   | 2027-02-15 | 45   | no   | –          |         |        |
| S5  | search    | logistics  | duplicate   | 2027-03-01 | 31   | yes  | 2          |         |        |
| S6  | search    | payments   | triaged     | 2027-04-12 | -11  | yes  | 1          |         |        |
| L1  | logistics | payments   | accepted    | 2027-01-10 | 81   | no   | 1          | Q3      | 6      |
| L2  | logistics | search     | submitted   | 2027-04-12 | -11  | yes  | –          |         |        | not overdue yet
| L3  | logistics | search     | submitted   | 2027-01-01 | 90   | no   | –          |         |        | overdue
| L4  | logistics | (none)     | declined    | 2027-02-01 | 59   | no   | 7          |         |        | reason
| X1  | payments  | search     | submitted   | 2027-04-01 (needed Q3)  | | –          |         |        | another cycle

Capacity: payments 12 in Q2 (override; default 20), search default 10, logistics default 15 (but
nothing planned in Q2). Catalog: NP1 (payments, shared, created 2027-03-01), EP1 (search, product,
created 2026-06-01), OLD (logistics, deprecated), INC (payments, incubating).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from products.models import DataProduct
from requests_app.models import DataRequest, DomainCycleCapacity
from tests import factories

UTC = dt.UTC
NOW = dt.datetime(2027, 4, 14, 12, 0, tzinfo=UTC)
S = DataRequest.Status


def at(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 10, 0, tzinfo=UTC)


@dataclass
class ReviewWorld:
    cycle: object
    q1: object
    q3: object
    payments: object
    search: object
    logistics: object
    requests: dict[str, DataRequest] = field(default_factory=dict)
    products: dict[str, DataProduct] = field(default_factory=dict)


def build_review_world() -> ReviewWorld:
    q1 = factories.CycleFactory(
        name="2027-Q1",
        slug="2027-q1",
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 3, 31),
        request_deadline=dt.date(2026, 11, 15),
    )
    q2 = factories.CycleFactory(
        name="2027-Q2",
        slug="2027-q2",
        starts_on=dt.date(2027, 4, 1),
        ends_on=dt.date(2027, 6, 30),
        request_deadline=dt.date(2027, 2, 15),
        review_on=dt.date(2027, 6, 23),
    )
    q3 = factories.CycleFactory(
        name="2027-Q3",
        slug="2027-q3",
        starts_on=dt.date(2027, 7, 1),
        ends_on=dt.date(2027, 9, 30),
        request_deadline=dt.date(2027, 5, 15),
    )
    payments = factories.DomainFactory(name="Payments", slug="payments", default_capacity=20)
    search = factories.DomainFactory(name="Search", slug="search", default_capacity=10)
    logistics = factories.DomainFactory(name="Logistics", slug="logistics", default_capacity=15)
    DomainCycleCapacity.objects.create(domain=payments, cycle=q2, capacity=12)
    DomainCycleCapacity.objects.create(domain=search, cycle=q3, capacity=99)  # another cycle

    world = ReviewWorld(q2, q1, q3, payments, search, logistics)
    products = {
        "NP1": factories.DataProductFactory(
            domain=payments, name="Refunds", slug="refunds", status=DataProduct.Status.SHARED
        ),
        "EP1": factories.DataProductFactory(
            domain=search, name="Query log", slug="query-log", status=DataProduct.Status.PRODUCT
        ),
        "OLD": factories.DataProductFactory(
            domain=logistics, name="Old routes", slug="old", status=DataProduct.Status.DEPRECATED
        ),
        "INC": factories.DataProductFactory(
            domain=payments, name="Chargebacks", slug="cb", status=DataProduct.Status.INCUBATING
        ),
    }
    DataProduct.objects.filter(pk=products["NP1"].pk).update(created_at=at(2027, 3, 1))
    DataProduct.objects.filter(pk=products["EP1"].pk).update(created_at=at(2026, 6, 1))
    world.products = products

    def add(key, target, requesting, status, *, submitted=None, late=None, lead=None, **extra):
        world.requests[key] = factories.DataRequestFactory(
            title=f"{key} request",
            target_domain=target,
            requesting_domain=requesting,
            needed_by_cycle=extra.pop("needed_by_cycle", q2),
            status=status,
            submitted_at=submitted,
            is_late=late,
            lead_time_days=lead,
            **extra,
        )

    P, Se, L = payments, search, logistics
    add("P1", P, Se, S.DELIVERED, submitted=at(2026, 12, 1), late=False, lead=121,
        triaged_at=at(2026, 12, 3), planned_cycle=q2, effort=5,
        delivered_at=at(2027, 5, 10), delivered_product=products["NP1"])  # fmt: skip
    add("P2", P, L, S.IN_PROGRESS, submitted=at(2027, 1, 10), late=False, lead=81,
        triaged_at=at(2027, 1, 14), planned_cycle=q2, effort=3)  # fmt: skip
    add("P3", P, Se, S.ACCEPTED, submitted=at(2027, 2, 16), late=True, lead=44,
        triaged_at=at(2027, 2, 20), planned_cycle=q2, effort=2)  # fmt: skip
    add("P4", P, L, S.DECLINED, submitted=at(2027, 2, 1), late=False, lead=59,
        triaged_at=at(2027, 2, 2), decision_reason="No source data yet")  # fmt: skip
    add("P5", P, Se, S.SUBMITTED, submitted=at(2027, 4, 2), late=True, lead=-1)
    add("P6", P, Se, S.DRAFT)
    add("P7", P, Se, S.ACCEPTED, submitted=at(2026, 10, 1), late=False, lead=92,
        triaged_at=at(2026, 10, 2), planned_cycle=q2, effort=4, needed_by_cycle=q1)  # fmt: skip
    add("S1", Se, P, S.DELIVERED, submitted=at(2027, 1, 1), late=False, lead=90,
        triaged_at=at(2027, 1, 6), planned_cycle=q2, effort=4,
        delivered_at=at(2027, 7, 5), delivered_product=products["EP1"])  # fmt: skip
    add("S2", Se, P, S.DEFERRED, submitted=at(2027, 1, 31), late=False, lead=60,
        triaged_at=at(2027, 2, 10), planned_cycle=q3,
        decision_reason="Waiting on the schema migration")  # fmt: skip
    add("S3", Se, L, S.DEFERRED, submitted=at(2027, 3, 2), late=True, lead=30,
        triaged_at=at(2027, 3, 5), decision_reason="Not this year")  # fmt: skip
    add("S4", Se, P, S.WITHDRAWN, submitted=at(2027, 2, 15), late=False, lead=45)
    add("S5", Se, L, S.DUPLICATE, submitted=at(2027, 3, 1), late=True, lead=31,
        triaged_at=at(2027, 3, 3))  # fmt: skip
    add("S6", Se, P, S.TRIAGED, submitted=at(2027, 4, 12), late=True, lead=-11,
        triaged_at=at(2027, 4, 13))  # fmt: skip
    add("L1", L, P, S.ACCEPTED, submitted=at(2027, 1, 10), late=False, lead=81,
        triaged_at=at(2027, 1, 11), planned_cycle=q3, effort=6)  # fmt: skip
    add("L2", L, Se, S.SUBMITTED, submitted=at(2027, 4, 12), late=True, lead=-11)
    add("L3", L, Se, S.SUBMITTED, submitted=at(2027, 1, 1), late=False, lead=90)
    add("L4", L, None, S.DECLINED, submitted=at(2027, 2, 1), late=False, lead=59,
        triaged_at=at(2027, 2, 8), decision_reason="Covered by the shipments product")  # fmt: skip
    add("X1", P, Se, S.SUBMITTED, submitted=at(2027, 4, 1), late=False, lead=91, needed_by_cycle=q3)
    return world
