"""The request FilterSet, through the API and the list page: one line per filter, each checked
against an expectation computed in Python from the rows the test built."""

from __future__ import annotations

import pytest

from requests_app.models import DataRequest
from tests import factories

S = DataRequest.Status


@pytest.fixture
def rows(make_request, requester, lead, target_domain, requesting_domain, cycle, later_cycle):
    """A dozen requests that differ in every filtered attribute."""
    other = factories.UserFactory(username="ana")
    product = factories.DataProductFactory(domain=target_domain, name="Payments ledger")
    built = []
    states = [S.DRAFT, S.SUBMITTED, S.TRIAGED, S.ACCEPTED, S.IN_PROGRESS, S.DECLINED]
    urgencies = ["low", "medium", "high", "critical"]
    for i in range(12):
        built.append(
            make_request(
                states[i % 6],
                title=f"Need {'refund ledger' if i % 4 == 0 else 'clicks'} {i}",
                business_need="Churn model" if i % 5 == 0 else "Ranking",
                requester=requester if i % 2 else (other if i % 4 == 0 else lead),
                target_domain=target_domain if i % 3 != 2 else requesting_domain,
                requesting_domain=requesting_domain if i % 3 != 2 else target_domain,
                needed_by_cycle=cycle if i < 6 else later_cycle,
                planned_cycle=later_cycle if states[i % 6] in (S.ACCEPTED, S.IN_PROGRESS) else None,
                urgency=urgencies[i % 4],
                is_late=None if i % 6 == 0 else bool(i % 4 == 1),
                data_product=product if i % 3 == 1 else None,
                score=None if i % 5 == 0 else float(i),
            )
        )
    return built


def ids(response) -> set[int]:
    assert response.status_code == 200, response.json()
    return {r["id"] for r in response.json()["results"]}


EXPECTATIONS = {
    "status=submitted": lambda r: r.status == "submitted",
    "status=submitted&status=accepted": lambda r: r.status in ("submitted", "accepted"),
    "target_domain=payments": lambda r: r.target_domain.slug == "payments",
    "requesting_domain=payments": lambda r: r.requesting_domain.slug == "payments",
    "needed_by_cycle=2031-q2": lambda r: r.needed_by_cycle.slug == "2031-q2",
    "planned_cycle=2031-q2": lambda r: r.planned_cycle and r.planned_cycle.slug == "2031-q2",
    "requester=me": lambda r: r.requester.username == "lead",
    "requester=pm": lambda r: r.requester.username == "pm",
    "requester=ana": lambda r: r.requester.username == "ana",
    "is_late=true": lambda r: r.is_late is True,
    "is_late=false": lambda r: r.is_late is False,
    "urgency=critical": lambda r: r.urgency == "critical",
    "urgency=low&urgency=high": lambda r: r.urgency in ("low", "high"),
    "q=refund": lambda r: "refund" in f"{r.title} {r.description} {r.business_need}".lower(),
    "q=CHURN": lambda r: "churn" in f"{r.title} {r.description} {r.business_need}".lower(),
    "target_domain=payments&status=draft": lambda r: (
        r.target_domain.slug == "payments" and r.status == "draft"
    ),
}


@pytest.mark.parametrize("query", list(EXPECTATIONS))
def test_each_filter_answers_exactly_the_matching_requests(api_as, lead, rows, query):
    expected = {r.pk for r in rows if EXPECTATIONS[query](r)}
    assert expected, "the fixture should give each filter something to find"
    assert ids(api_as(lead).get(f"/api/v1/requests/?{query}&page_size=200")) == expected


def test_the_data_product_filter_takes_a_product_id(api_as, lead, rows):
    product = rows[1].data_product
    expected = {r.pk for r in rows if r.data_product_id == product.pk}
    assert ids(api_as(lead).get(f"/api/v1/requests/?data_product={product.pk}")) == expected


@pytest.mark.parametrize(
    ("query", "hint"),
    [
        ("status=open", "Valid choices: draft, submitted"),
        ("status=draft&status=nope", "Valid choices: draft"),
        ("target_domain=nowhere", "Valid choices: payments, search"),
        ("requesting_domain=nowhere", "Valid choices: payments, search"),
        ("needed_by_cycle=2099-q9", "Valid choices: 2031-q1, 2031-q2"),
        ("planned_cycle=soon", "Valid choices: 2031-q1, 2031-q2"),
        ("urgency=asap", "Valid choices: low, medium, high, critical"),
        ("is_late=maybe", "Valid choices: true, false"),
        ("requester=ghost", "No user named 'ghost'"),
        ("data_product=987654", "No data product with id '987654'"),
        ("data_product=abc", "No data product with id 'abc'"),
        ("ordering=title", "Valid choices: submitted_at, -submitted_at"),
    ],
)
def test_an_unknown_filter_value_answers_400_naming_what_is_valid(api_as, lead, rows, query, hint):
    response = api_as(lead).get(f"/api/v1/requests/?{query}")
    assert response.status_code == 400
    assert hint in response.json()["detail"]


def test_ordering_by_urgency_goes_from_low_to_critical(api_as, lead, rows):
    body = api_as(lead).get("/api/v1/requests/?ordering=urgency&page_size=200").json()
    rank = {"low": 0, "medium": 1, "high": 2, "critical": 3}
    order = [rank[r["urgency"]] for r in body["results"]]
    assert order == sorted(order)
    body = api_as(lead).get("/api/v1/requests/?ordering=-urgency&page_size=200").json()
    assert body["results"][0]["urgency"] == "critical"


@pytest.mark.parametrize("field", ["score", "submitted_at", "rank", "lead_time_days", "created_at"])
def test_ordering_puts_empty_values_last_both_ways(api_as, lead, rows, field):
    for sign in ("", "-"):
        results = api_as(lead).get(f"/api/v1/requests/?ordering={sign}{field}&page_size=200").json()
        values = [r[field] for r in results["results"]]
        present = [v for v in values if v is not None]
        assert values[: len(present)] == sorted(present, reverse=bool(sign))


def test_the_list_page_uses_the_same_filters(client, lead, rows):
    client.force_login(lead)
    response = client.get("/requests/?status=submitted&target_domain=payments")
    expected = [r for r in rows if r.status == "submitted" and r.target_domain.slug == "payments"]
    shown = [r for r in rows if f">{r.title}</a>" in response.content.decode()]
    assert shown == expected


def test_the_list_page_says_which_values_are_valid(client, lead, rows):
    client.force_login(lead)
    response = client.get("/requests/?status=open")
    assert response.status_code == 400
    assert "Valid choices: draft, submitted" in response.content.decode()
