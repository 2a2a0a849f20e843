"""The one search box: requests by key or words, data products, domains, people; at most 10 per
group, best first; a pinned number of queries whatever the data size."""

from __future__ import annotations

import pytest

from requests_app import search
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(target_domain, requester):
    factories.DataProductFactory(domain=target_domain, name="Refund events", description="Refunds.")
    factories.DataProductFactory(domain=target_domain, name="Card payments", description="Cards.")
    refunds = factories.DataRequestFactory(
        title="Refund events per merchant", target_domain=target_domain, requester=requester
    )
    factories.DataRequestFactory(title="Clicks per listing", target_domain=target_domain)
    return refunds


def test_the_api_finds_requests_products_and_domains_by_words(api_as, requester, catalog):
    body = api_as(requester).get("/api/v1/search/", {"q": "refund"}).json()
    assert [r["key"] for r in body["requests"]] == [catalog.key]
    assert [p["name"] for p in body["data_products"]] == ["Refund events"]
    assert body["domains"] == []
    body = api_as(requester).get("/api/v1/search/", {"q": "payments"}).json()
    assert [d["slug"] for d in body["domains"]] == ["payments"]
    assert [p["name"] for p in body["data_products"]] == ["Card payments"]


def test_words_of_the_need_and_description_count_and_titles_rank_first(api_as, requester):
    in_description = factories.DataRequestFactory(
        title="Listing views", description="Per hour, for the churn model."
    )
    in_need = factories.DataRequestFactory(title="Seller events", business_need="Churn alerts.")
    in_title = factories.DataRequestFactory(title="Churn by cohort")
    factories.DataRequestFactory(title="Clicks per listing")
    body = api_as(requester).get("/api/v1/search/", {"q": "churn"}).json()
    keys = [r["key"] for r in body["requests"]]
    assert keys[0] == in_title.key
    assert sorted(keys) == sorted([in_title.key, in_need.key, in_description.key])


def test_a_key_finds_its_request_first(api_as, requester, catalog):
    for query in (catalog.key, catalog.key.lower(), str(catalog.pk)):
        body = api_as(requester).get("/api/v1/search/", {"q": query}).json()
        assert body["requests"][0]["id"] == catalog.pk


def test_people_are_found_by_their_names(api_as, requester, lead):
    lead.first_name, lead.last_name = "Lars", "Eriksen"
    lead.save()
    body = api_as(requester).get("/api/v1/search/", {"q": "eriks"}).json()
    assert body["people"] == [{"username": "lead", "name": "Lars Eriksen"}]


def test_each_group_holds_at_most_ten(api_as, requester, target_domain):
    factories.DataRequestFactory.create_batch(12, title="Orders feed", target_domain=target_domain)
    body = api_as(requester).get("/api/v1/search/", {"q": "orders"}).json()
    assert len(body["requests"]) == 10


def test_an_empty_query_answers_400_saying_what_to_send(api_as, requester):
    response = api_as(requester).get("/api/v1/search/", {"q": "  "})
    assert response.status_code == 400
    assert "Give something to search for" in str(response.json())


def test_signing_in_is_required(api):
    assert api.get("/api/v1/search/", {"q": "x"}).status_code in (401, 403)


@pytest.mark.parametrize("size", [1, 15])
def test_the_search_makes_four_queries_whatever_it_finds(
    size, target_domain, django_assert_num_queries
):
    factories.DataRequestFactory.create_batch(
        size, title="Orders feed", target_domain=target_domain
    )
    factories.DataProductFactory.create_batch(size, domain=target_domain, name="Orders")
    with django_assert_num_queries(4):
        found = search.search(query="orders")
    assert len(found.requests) == min(size, 10)
