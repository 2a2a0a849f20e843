"""The bench-only endpoints answer when mounted, and are absent by default."""

from __future__ import annotations

import pytest

from requests_app.models import DataRequest
from tests import factories

S = DataRequest.Status


@pytest.fixture
def bench_on(settings):
    settings.BENCH_ENDPOINTS = True
    settings.ROOT_URLCONF = "tests.bench.urls"


def test_bench_endpoints_are_not_mounted_by_default(api_as, lead):
    assert api_as(lead).get("/bench/ceiling/").status_code == 404
    assert api_as(lead).get("/bench/textbook/requests/").status_code == 404


def test_ceiling_serves_a_json_body(bench_on, client):
    response = client.get("/bench/ceiling/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "results" in response.json()


def test_textbook_peer_lists_requests_filtered_with_nested_objects(
    bench_on, api_as, lead, target_domain, requester
):
    delivered = factories.DataRequestFactory(
        target_domain=target_domain, requester=requester, status=S.DELIVERED
    )
    factories.DataRequestFactory(target_domain=target_domain, status=S.SUBMITTED)
    factories.DataRequestFactory(status=S.DELIVERED)  # another domain's

    response = api_as(lead).get(
        "/bench/textbook/requests/",
        {"target_domain__slug": target_domain.slug, "status": "delivered"},
    )

    assert response.status_code == 200
    body = response.json()
    assert [r["id"] for r in body["results"]] == [delivered.pk]
    row = body["results"][0]
    assert row["target_domain"]["slug"] == target_domain.slug
    assert row["requester"]["username"] == requester.username


def _two_delivered(target_domain, requester):
    rows = [
        factories.DataRequestFactory(
            target_domain=target_domain, requester=requester, status=S.DELIVERED
        )
        for _ in range(2)
    ]
    factories.DataRequestFactory(target_domain=target_domain, status=S.SUBMITTED)
    factories.DataRequestFactory(status=S.DELIVERED)  # another domain's
    return rows


def test_the_peer_lists_the_same_rows_with_one_query_for_all_relations(
    bench_on, api_as, lead, target_domain, requester, django_assert_max_num_queries
):
    rows = _two_delivered(target_domain, requester)
    client = api_as(lead)
    with django_assert_max_num_queries(4):  # token, count, page (joined), nothing per row
        body = client.get(
            "/bench/peer/requests/",
            {"target_domain__slug": target_domain.slug, "status": "delivered"},
        ).json()
    assert [r["id"] for r in body["results"]] == sorted((r.pk for r in rows), reverse=True)
    assert body["results"][0]["requester"]["username"] == requester.username


def test_the_floor_checks_the_token_and_serves_the_page_in_one_statement(
    bench_on, client, lead, target_domain, requester, django_assert_max_num_queries
):
    from accounts.services.tokens import api_token_create

    rows = _two_delivered(target_domain, requester)
    key = api_token_create(actor=lead, name="floor")[1]
    params = {"target_domain": target_domain.slug, "status": "delivered"}
    assert client.get("/bench/floor/requests/", params).status_code == 401
    assert (
        client.get("/bench/floor/requests/", params, HTTP_AUTHORIZATION="Token nope").status_code
        == 401
    )
    with django_assert_max_num_queries(3):  # the token (and its last use), the page
        response = client.get("/bench/floor/requests/", params, HTTP_AUTHORIZATION=f"Token {key}")
    body = response.json()
    assert body["count"] == 2
    assert [r["id"] for r in body["results"]] == sorted((r.pk for r in rows), reverse=True)
    assert body["results"][0]["target_domain"] == target_domain.slug
