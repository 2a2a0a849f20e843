"""Consume instead: a team asks to consume an existing product; the producing domain's leads are
told and confirm (the team is listed as a consumer) or decline with a reason (the asker is told)."""

from __future__ import annotations

import pytest

from notifications.models import Notification
from products.models import ConsumerRequest, DataProduct, ProductConsumer
from tests import factories

API = "/api/v1/data-products/"


@pytest.fixture
def product(target_domain):
    return factories.DataProductFactory(domain=target_domain, name="Refund events")


def ask(client, product, **body):
    return client.post(
        f"{API}{product.pk}/consumers/requests/", {"use_case": "Ranking", **body}, format="json"
    )


def test_a_pm_asks_and_the_leads_are_told(api_as, product, requester, lead):
    response = ask(api_as(requester), product)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["domain"], body["status"], body["requested_by"]) == ("search", "pending", "pm")
    told = Notification.objects.get(kind="consumer_requested", channel="in_app")
    assert told.recipient == lead
    assert told.message == "Search asks to consume Refund events: Ranking. Confirm or decline."
    assert not ProductConsumer.objects.exists()  # not a consumer until confirmed


def test_the_lead_confirms_and_the_team_is_listed_as_a_consumer(
    api_as, client, product, requester, lead
):
    rid = ask(api_as(requester), product).json()["id"]
    response = api_as(lead).post(
        f"{API}{product.pk}/consumers/requests/{rid}/decide/", {"confirm": True}, format="json"
    )
    assert response.json()["status"] == "confirmed"
    detail = api_as(requester).get(f"{API}{product.pk}/").json()
    assert [c["domain"]["slug"] for c in detail["consumers"]] == ["search"]
    assert Notification.objects.filter(
        kind="consumer_decided", recipient=requester, channel="in_app"
    ).exists()
    client.force_login(requester)
    assert "Search</a> since" in client.get(product.get_absolute_url()).content.decode()


def test_a_decline_needs_a_reason_and_the_asker_reads_it(api_as, product, requester, lead):
    rid = ask(api_as(requester), product).json()["id"]
    url = f"{API}{product.pk}/consumers/requests/{rid}/decide/"
    assert api_as(lead).post(url, {"confirm": False}, format="json").status_code == 400
    api_as(lead).post(
        url, {"confirm": False, "reason": "PII: ask for the aggregate"}, format="json"
    )
    told = Notification.objects.get(kind="consumer_decided", channel="in_app")
    assert told.message.endswith(
        "declined Search's request to consume Refund events: PII: ask for the aggregate"
    )
    assert not ProductConsumer.objects.exists()
    # the team may ask again later
    assert ask(api_as(requester), product).status_code == 201


@pytest.mark.parametrize(
    ("who", "code"), [("requester", 403), ("member", 403), ("other_lead", 403), ("staff", 200)]
)
def test_only_the_producing_leads_or_staff_decide(api_as, product, requester, request, who, code):
    rid = ask(api_as(requester), product).json()["id"]
    response = api_as(request.getfixturevalue(who)).post(
        f"{API}{product.pk}/consumers/requests/{rid}/decide/", {"confirm": True}, format="json"
    )
    assert response.status_code == code


def test_asking_twice_conflicts(api_as, product, requester):
    assert ask(api_as(requester), product).status_code == 201
    assert ask(api_as(requester), product).status_code == 409


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"use_case": ""}, "Say what your team would use it for"),
        ({"domain": "nowhere"}, "No domain with slug nowhere"),
        ({"domain": "payments"}, "Only a member or lead of Payments"),
    ],
)
def test_bad_asks_are_refused_with_a_message(api_as, product, requester, body, says):
    response = ask(api_as(requester), product, **body)
    assert response.status_code in (400, 403)
    assert says in str(response.json())


def test_the_owner_and_deprecated_products_are_refused(api_as, product, member, requester):
    assert "owns Refund events" in str(ask(api_as(member), product).json())
    DataProduct.objects.filter(pk=product.pk).update(status="deprecated")
    assert "deprecated" in str(ask(api_as(requester), product).json())


def test_the_product_page_offers_to_consume_and_the_lead_confirms_there(
    client, product, requester, lead
):
    client.force_login(requester)
    page = client.get(product.get_absolute_url()).content.decode()
    assert "Ask to consume" in page
    client.post(f"/catalog/products/{product.pk}/consume/", {"domain": "search", "use_case": "Ads"})
    asked = ConsumerRequest.objects.get()
    client.force_login(lead)
    page = client.get(product.get_absolute_url()).content.decode()
    assert "Teams asking to consume it" in page
    client.post(f"/catalog/products/{product.pk}/consume/{asked.pk}/decide/", {"confirm": "1"})
    assert ProductConsumer.objects.get().domain.slug == "search"


def test_a_confirmed_consumer_counts_in_the_reviews_share_by_default_figures(
    api_as, client, product, requester, lead, django_capture_on_commit_callbacks
):
    cycle = factories.CycleFactory()
    review = f"/api/v1/cycles/{cycle.slug}/review/"
    assert api_as(requester).get(review).json()["products"]["coverage"]["consumers_total"] == 0
    rid = ask(api_as(requester), product).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):  # the review's cache hears it
        api_as(lead).post(
            f"{API}{product.pk}/consumers/requests/{rid}/decide/", {"confirm": True}, format="json"
        )
    coverage = api_as(requester).get(review).json()["products"]["coverage"]
    assert (coverage["consumers_total"], coverage["domains_consumed"]) == (1, 1)
    client.force_login(requester)
    page = client.get(f"/cycles/{cycle.slug}/review/").content.decode()
    assert "Consumed by other domains: <strong>1</strong>" in page
