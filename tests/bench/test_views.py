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
