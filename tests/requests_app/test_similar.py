"""Similar needs: open requests and live products that may already answer what a PM is typing.

Runs on SQLite (term overlap) and on PostgreSQL (full-text search) with the same expectations."""

from __future__ import annotations

import pytest

from products.models import DataProduct
from requests_app import similar
from requests_app.models import DataRequest
from tests import factories

S = DataRequest.Status


@pytest.fixture
def catalog(target_domain, requesting_domain):
    make = factories.DataProductFactory
    return {
        "exact": make(domain=target_domain, name="Refunds", description="Refund events, daily."),
        "title": make(
            domain=target_domain,
            name="Refunds and chargebacks ledger",
            description="Every refunds movement with its chargeback.",
        ),
        "description": make(
            domain=requesting_domain, name="Merchant payouts", description="Includes refunds."
        ),
        "deprecated": make(
            domain=target_domain,
            name="Refunds v0",
            description="Old refunds feed.",
            status=DataProduct.Status.DEPRECATED,
        ),
        "unrelated": make(domain=target_domain, name="Search clicks", description="Clickstream."),
    }


def names(found) -> list[str]:
    return [p.name for p in found["data_products"]]


def test_an_exact_product_name_ranks_first(catalog):
    found = similar.requests_similar(q="refunds")
    assert names(found)[0] == "Refunds"
    assert set(names(found)) == {"Refunds", "Refunds and chargebacks ledger", "Merchant payouts"}


def test_a_title_match_ranks_above_a_description_match(catalog):
    found = similar.requests_similar(q="chargebacks ledger for refunds")
    assert names(found)[:1] == ["Refunds and chargebacks ledger"]
    assert names(found).index("Merchant payouts") > names(found).index("Refunds")


def test_deprecated_products_and_unrelated_ones_are_left_out(catalog):
    assert "Refunds v0" not in names(similar.requests_similar(q="refunds feed"))
    assert "Search clicks" not in names(similar.requests_similar(q="refunds"))


def test_only_open_submitted_requests_are_suggested(make_request):
    open_ones = {
        state: make_request(state, title=f"Refund events {state}")
        for state in (S.SUBMITTED, S.TRIAGED, S.ACCEPTED, S.IN_PROGRESS, S.DEFERRED)
    }
    for state in (S.DRAFT, S.DELIVERED, S.DECLINED, S.DUPLICATE, S.WITHDRAWN):
        make_request(state, title=f"Refund events {state}")
    found = similar.requests_similar(q="refund events")
    assert {r.pk for r in found["requests"]} == {r.pk for r in open_ones.values()}


def test_the_target_domain_narrows_the_suggestions(catalog, requesting_domain):
    found = similar.requests_similar(q="refunds", target_domain=requesting_domain)
    assert names(found) == ["Merchant payouts"]


@pytest.mark.parametrize("q", ["", "   ", "the of and", "x" * 5000])
def test_blank_or_meaningless_text_suggests_nothing_and_never_fails(catalog, q):
    found = similar.requests_similar(q=q)
    assert found["requests"] == []
    assert len(found["data_products"]) <= 10


def test_the_api_answers_requests_and_products(api_as, requester, catalog, make_request):
    obj = make_request(S.SUBMITTED, title="Refunds per merchant")
    body = (
        api_as(requester).get("/api/v1/requests/similar/?q=refunds&target_domain=payments").json()
    )
    assert [r["id"] for r in body["requests"]] == [obj.pk]
    assert body["data_products"][0]["name"] == "Refunds"
    assert body["data_products"][0]["domain"] == "payments"


def test_the_api_refuses_an_unknown_domain(api_as, requester):
    response = api_as(requester).get("/api/v1/requests/similar/?q=x&target_domain=nowhere")
    assert response.status_code == 400
    assert "nowhere" in response.json()["detail"]


def test_a_suggested_request_keeps_its_board_rank(api_as, requester, make_request):
    obj = make_request(S.ACCEPTED, title="Refund events", rank=7)
    body = api_as(requester).get("/api/v1/requests/similar/?q=refund+events").json()
    assert [(r["id"], r["rank"]) for r in body["requests"]] == [(obj.pk, 7)]
