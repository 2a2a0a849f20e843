"""Every review figure checked against the hand-built cycle in ``review_fixture`` (the expected
numbers were worked out by hand from its table, not by running the code)."""

from __future__ import annotations

import datetime as dt

import pytest

from requests_app import sla
from review.selectors import review_for
from tests.review.review_fixture import NOW, build_review_world

pytestmark = pytest.mark.django_db

ZERO_OUTCOMES = dict.fromkeys(
    [
        "submitted",
        "triaged",
        "accepted",
        "in_progress",
        "delivered",
        "declined",
        "deferred",
        "duplicate",
        "withdrawn",
    ],
    0,
)


@pytest.fixture
def world(settings):
    settings.TRIAGE_SLA_WORKING_DAYS = 5
    return build_review_world()


@pytest.fixture
def review(world):
    return review_for(cycle=world.cycle, now=NOW)


def by_slug(review, slug):
    return next(d for d in review["domains"] if d["slug"] == slug)


def test_overall_filing_figures_count_submitted_requests_for_the_cycle_only(review):
    overall = review["overall"]
    assert (overall["filed"], overall["early"], overall["late"]) == (15, 9, 6)
    assert overall["early_pct"] == 60.0
    # Lead times, sorted: -11 -11 -1 30 31 44 45 59 59 60 81 81 90 90 121 → the 8th.
    assert overall["median_lead_time_days"] == 59.0
    # Triage days, sorted: 1 1 1 2 2 3 4 4 5 7 10 → the 6th.
    assert overall["median_triage_days"] == 3.0
    assert overall["overdue_triage"] == 2  # P5 and L3


def test_overall_outcomes_are_by_current_status(review):
    overall = review["overall"]
    assert overall["outcomes"] == {
        **ZERO_OUTCOMES,
        "submitted": 3,
        "triaged": 1,
        "accepted": 2,
        "in_progress": 1,
        "delivered": 2,
        "declined": 2,
        "deferred": 2,
        "duplicate": 1,
        "withdrawn": 1,
    }
    assert overall["accepted"] == 5  # accepted + in progress + delivered
    assert overall["still_open"] == 7
    assert overall["delivery_pct"] == 40.0  # 2 of 5
    # P2, P3, P7 planned and unfinished; S1 delivered after the cycle; S2 deferred to Q3.
    assert overall["carried_over"] == 5


def test_overall_capacity_counts_only_domains_with_work_planned_in_the_cycle(review):
    overall = review["overall"]
    assert overall["capacity"] == 22  # payments' override 12 + search's default 10
    assert overall["planned_effort"] == 18  # P1 5 + P2 3 + P3 2 + P7 4 + S1 4
    assert overall["delivered_effort"] == 9  # P1 5 + S1 4
    assert overall["utilization_pct"] == 81.8


def test_lead_time_distribution_buckets_every_request_for_the_cycle(review):
    assert [(b["key"], b["count"]) for b in review["lead_time_buckets"]] == [
        ("after_start", 3),
        ("0_30", 1),
        ("31_60", 6),
        ("61_90", 4),
        ("over_90", 1),
    ]


def test_payments_figures(review):
    payments = by_slug(review, "payments")
    assert payments["name"] == "Payments"
    assert (payments["filed"], payments["early"], payments["late"]) == (5, 3, 2)
    assert payments["early_pct"] == 60.0
    assert payments["median_lead_time_days"] == 59.0  # -1 44 59 81 121
    assert payments["median_triage_days"] == 3.0  # 1 2 4 4
    assert payments["overdue_triage"] == 1
    assert payments["outcomes"] == {
        **ZERO_OUTCOMES,
        "submitted": 1,
        "accepted": 1,
        "in_progress": 1,
        "delivered": 1,
        "declined": 1,
    }
    assert (payments["accepted"], payments["still_open"], payments["delivery_pct"]) == (3, 3, 33.3)
    assert payments["carried_over"] == 3  # P2, P3 and P7 (needed in Q1, planned in Q2)
    assert payments["capacity"] == 12
    assert (payments["planned_effort"], payments["delivered_effort"]) == (14, 5)
    assert payments["utilization_pct"] == 116.7
    assert payments["lead_time_buckets"] == {
        "after_start": 1,
        "0_30": 0,
        "31_60": 2,
        "61_90": 1,
        "over_90": 1,
    }
    assert (payments["products_created"], payments["products_extended"]) == (1, 0)
    assert payments["products_by_status"] == {
        "shared": 1,
        "incubating": 1,
        "product": 0,
        "deprecated": 0,
    }


def test_search_figures(review):
    search = by_slug(review, "search")
    assert (search["filed"], search["early"], search["late"]) == (6, 3, 3)
    assert search["early_pct"] == 50.0
    assert search["median_lead_time_days"] == 38.0  # -11 30 31 45 60 90 → (31 + 45) / 2
    assert search["median_triage_days"] == 3.0  # 1 2 3 5 10
    assert search["overdue_triage"] == 0
    assert search["outcomes"] == {
        **ZERO_OUTCOMES,
        "triaged": 1,
        "delivered": 1,
        "deferred": 2,
        "duplicate": 1,
        "withdrawn": 1,
    }
    assert (search["accepted"], search["still_open"], search["delivery_pct"]) == (1, 1, 100.0)
    assert search["carried_over"] == 2  # S1 delivered after the cycle ended, S2 moved to Q3
    assert search["capacity"] == 10  # its Q3 override does not apply to Q2
    assert (search["planned_effort"], search["delivered_effort"]) == (4, 4)
    assert search["utilization_pct"] == 40.0
    assert search["lead_time_buckets"] == {
        "after_start": 1,
        "0_30": 1,
        "31_60": 3,
        "61_90": 1,
        "over_90": 0,
    }
    assert (search["products_created"], search["products_extended"]) == (0, 1)


def test_logistics_figures(review):
    logistics = by_slug(review, "logistics")
    assert (logistics["filed"], logistics["early"], logistics["late"]) == (4, 3, 1)
    assert logistics["early_pct"] == 75.0
    assert logistics["median_lead_time_days"] == 70.0  # -11 59 81 90 → (59 + 81) / 2
    assert logistics["median_triage_days"] == 4.0  # 1 7
    assert logistics["overdue_triage"] == 1  # L3; L2 is within the SLA
    assert logistics["outcomes"] == {
        **ZERO_OUTCOMES,
        "submitted": 2,
        "accepted": 1,
        "declined": 1,
    }
    assert (logistics["accepted"], logistics["still_open"], logistics["delivery_pct"]) == (
        1,
        3,
        0.0,
    )
    assert logistics["carried_over"] == 0  # L1 is planned in Q3, not Q2
    assert logistics["capacity"] is None  # nothing planned in Q2
    assert (logistics["planned_effort"], logistics["delivered_effort"]) == (0, 0)
    assert logistics["utilization_pct"] is None
    assert logistics["lead_time_buckets"] == {
        "after_start": 1,
        "0_30": 0,
        "31_60": 1,
        "61_90": 2,
        "over_90": 0,
    }


def test_domains_are_listed_most_asked_first(review):
    assert [d["slug"] for d in review["domains"]] == ["search", "payments", "logistics"]
    assert [(d["slug"], d["filed"]) for d in review["most_asked"]] == [
        ("search", 6),
        ("payments", 5),
        ("logistics", 4),
    ]


def test_dependency_matrix_counts_requesting_by_producing_domain(review):
    matrix = review["dependencies"]
    assert [d["slug"] for d in matrix["producing"]] == ["logistics", "payments", "search"]
    assert [d["slug"] for d in matrix["requesting"]] == ["logistics", "payments", "search", None]
    assert matrix["counts"] == [
        [0, 2, 2],  # logistics asks payments (P2, P4) and search (S3, S5)
        [1, 0, 4],  # payments asks logistics (L1) and search (S1, S2, S4, S6)
        [2, 3, 0],  # search asks logistics (L2, L3) and payments (P1, P3, P5)
        [1, 0, 0],  # L4 was filed without a requesting domain
    ]
    assert matrix["max"] == 4


def test_teams_are_ranked_by_their_early_filing_rate(review):
    assert [
        (t["slug"], t["filed"], t["early"], t["early_pct"], t["mean_lead_time_days"])
        for t in review["teams"]
    ] == [
        ("payments", 5, 4, 80.0, 53.0),  # 90 60 45 -11 81
        ("logistics", 4, 2, 50.0, 50.2),  # 81 59 30 31 → 50.25
        ("search", 5, 2, 40.0, 48.6),  # 121 44 -1 -11 90
    ]


def test_products_created_or_extended_and_share_by_default_coverage(review, world):
    products = review["products"]
    assert [(p["name"], p["domain"]["slug"], p["created"]) for p in products["delivered"]] == [
        ("Refunds", "payments", True),
        ("Query log", "search", False),
    ]
    overall = review["overall"]
    assert (overall["products_created"], overall["products_extended"]) == (1, 1)
    assert products["coverage"] == {
        "domains_total": 3,
        "domains_publishing": 2,  # logistics only has a deprecated product
        "domains_publishing_pct": 66.7,
        "products_by_status": {"shared": 1, "incubating": 1, "product": 1, "deprecated": 1},
        "consumers_total": 0,  # confirmed consumers (see tests/products/test_consume_instead.py)
        "domains_consumed": 0,
    }


def test_late_declined_and_deferred_requests_are_listed_with_their_reasons(review, world):
    key = {r.pk: k for k, r in world.requests.items()}
    listed = [(key[r["id"]], r["status"], r["is_late"], r["reason"]) for r in review["not_made_it"]]
    assert listed == [
        ("L4", "declined", False, "Covered by the shipments product"),
        ("L2", "submitted", True, ""),
        ("P3", "accepted", True, ""),
        ("P4", "declined", False, "No source data yet"),
        ("P5", "submitted", True, ""),
        ("S2", "deferred", False, "Waiting on the schema migration"),
        ("S3", "deferred", True, "Not this year"),
        ("S5", "duplicate", True, ""),
        ("S6", "triaged", True, ""),
    ]
    assert review["not_made_it_total"] == 9
    moved = {key[r["id"]]: r["moved_to_cycle"] for r in review["not_made_it"]}
    assert (moved["S2"], moved["S3"], moved["P4"]) == ("2027-q3", None, None)


def test_the_review_says_what_cycle_and_when(review):
    assert review["cycle"]["slug"] == "2027-q2"
    assert review["cycle"]["request_deadline"] == "2027-02-15"
    assert review["computed_at"] == NOW.isoformat()
    assert "requests" in review["definitions"]


def test_an_empty_cycle_has_zeros_and_no_rates(db):
    from tests import factories

    review = review_for(cycle=factories.CycleFactory(), now=NOW)
    assert review["overall"]["filed"] == 0
    assert review["overall"]["early_pct"] is None
    assert review["overall"]["median_lead_time_days"] is None
    assert review["domains"] == []
    assert review["dependencies"]["counts"] == []


@pytest.mark.parametrize(
    ("submitted", "overdue"),
    [
        (dt.datetime(2027, 4, 6, 23, 0, tzinfo=dt.UTC), True),  # Tuesday: 6 working days
        (dt.datetime(2027, 4, 7, 9, 0, tzinfo=dt.UTC), False),  # Wednesday: 5, within the SLA
    ],
)
def test_overdue_triage_is_the_rule_the_triage_reminders_use(world, submitted, overdue):
    """At the SLA's edge the review counts what the reminders and the triage inbox flag."""
    from tests import factories

    factories.DataRequestFactory(
        target_domain=world.search,
        needed_by_cycle=world.cycle,
        status="submitted",
        submitted_at=submitted,
        is_late=True,
    )
    assert sla.is_triage_overdue(submitted, NOW) is overdue
    search = by_slug(review_for(cycle=world.cycle, now=NOW), "search")
    assert search["overdue_triage"] == (1 if overdue else 0)
