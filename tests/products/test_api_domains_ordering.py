"""The domain list is ordered on request; an unknown ordering names the valid ones."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_domains_are_ordered_on_request_and_an_unknown_ordering_answers_400(api_as, requester):
    factories.DomainFactory(slug="ads", name="Ads", default_capacity=40)
    factories.DomainFactory(slug="jobs", name="Jobs", default_capacity=1)
    client = api_as(requester)
    by_capacity = client.get("/api/v1/domains/?ordering=-default_capacity").json()["results"]
    slugs = [d["slug"] for d in by_capacity]
    assert (slugs[0], slugs[-1]) == ("ads", "jobs")
    response = client.get("/api/v1/domains/?ordering=colour")
    assert response.status_code == 400
    assert "default_capacity" in response.json()["detail"]
