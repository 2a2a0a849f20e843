"""Supply finds demand: publishing a product (or moving it to shared or product) tells the open
requests it may answer; their requester answers in one click ("this answers my need": delivered
or withdrawn per the lifecycle; "not quite")."""

from __future__ import annotations

import pytest

from core.errors import NotPermitted, TransitionNotAllowed
from notifications.models import Notification
from products import services as catalog
from products.models import DataProduct
from requests_app import services
from requests_app.models import DataRequest, RequestEvent
from tests import factories

S = DataRequest.Status
K = RequestEvent.Kind


@pytest.fixture
def producer(db):
    """A lead of another domain that publishes products."""
    domain = factories.DomainFactory(slug="marketplace", name="Marketplace")
    user = factories.UserFactory(username="producer")
    domain.leads.add(user)
    return domain, user


def publish(producer, name="Refund events", **fields):
    domain, user = producer
    return catalog.product_create(actor=user, domain=domain, name=name, **fields)


def test_publishing_a_matching_product_tells_the_requester_and_the_target_leads(
    make_request, producer, requester, lead
):
    wanted = make_request(S.TRIAGED, title="Refund events per merchant")
    make_request(S.DRAFT, title="Refund events draft")  # drafts told nobody anything
    make_request(S.DECLINED, title="Refund events old")  # closed
    make_request(S.SUBMITTED, title="Seller churn")  # not similar
    product = publish(producer)
    events = RequestEvent.objects.filter(kind=K.PRODUCT_SUGGESTED)
    assert list(events.values_list("request_id", flat=True)) == [wanted.pk]
    told = Notification.objects.filter(kind="product_may_answer", channel="in_app")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["lead", "pm"]
    assert "Refund events by Marketplace may answer" in told.first().message
    # email at once: it waits on the requester's answer
    assert Notification.objects.filter(
        kind="product_may_answer", channel="email", digest=""
    ).exists()
    # moving it to product later does not tell them again
    catalog.product_set_status(product=product, actor=producer[1], status="incubating")
    assert events.count() == 1


def test_the_product_page_lists_the_open_requests_it_may_answer(
    client, make_request, producer, requester
):
    wanted = make_request(S.SUBMITTED, title="Refund events per merchant")
    product = publish(producer)
    client.force_login(requester)
    page = client.get(product.get_absolute_url()).content.decode()
    assert "Open requests it may answer" in page
    assert wanted.key in page


def test_the_requester_says_it_answers_and_the_request_is_withdrawn_with_that_reason(
    client, make_request, producer, requester
):
    wanted = make_request(S.TRIAGED, title="Refund events per merchant")
    product = publish(producer)
    client.force_login(requester)
    page = client.get(wanted.get_absolute_url()).content.decode()
    assert "A data product may answer this" in page
    assert "This answers my need" in page
    client.post(f"/requests/{wanted.pk}/answered-by/{product.pk}/", {"answers": "yes"})
    wanted.refresh_from_db()
    assert wanted.status == S.WITHDRAWN
    reason = wanted.events.get(kind=K.WITHDRAW).data["reason"]
    assert reason == "Answered by the data product Refund events of Marketplace."


def test_the_team_delivers_work_in_progress_with_the_product(
    api_as, make_request, producer, member
):
    wanted = make_request(S.IN_PROGRESS, title="Refund events per merchant")
    product = publish(producer)
    body = (
        api_as(member)
        .post(
            f"/api/v1/requests/{wanted.pk}/answered-by/",
            {"data_product": product.pk, "answers": True},
            format="json",
        )
        .json()
    )
    assert (body["status"], body["delivered_product"]) == ("delivered", product.pk)


def test_not_quite_dismisses_the_suggestion(client, make_request, producer, requester):
    wanted = make_request(S.TRIAGED, title="Refund events per merchant")
    product = publish(producer)
    client.force_login(requester)
    client.post(f"/requests/{wanted.pk}/answered-by/{product.pk}/", {"answers": "no"})
    wanted.refresh_from_db()
    assert wanted.status == S.TRIAGED
    page = client.get(wanted.get_absolute_url()).content.decode()
    assert "A data product may answer this" not in page


def test_a_lead_cannot_answer_for_a_request_not_in_progress(make_request, producer, lead):
    wanted = make_request(S.TRIAGED, title="Refund events per merchant")
    product = publish(producer)
    with pytest.raises(TransitionNotAllowed):
        services.request_answer_with_product(
            data_request=wanted, product=product, actor=lead, answers=True
        )


def test_someone_else_cannot_answer(make_request, producer, other_lead):
    wanted = make_request(S.TRIAGED, title="Refund events per merchant")
    product = publish(producer)
    with pytest.raises(NotPermitted):
        services.request_answer_with_product(
            data_request=wanted, product=product, actor=other_lead, answers=False
        )


def test_a_deprecated_product_finds_no_demand(make_request, producer):
    make_request(S.TRIAGED, title="Refund events per merchant")
    product = factories.DataProductFactory(
        domain=producer[0], name="Refund events", status=DataProduct.Status.DEPRECATED
    )
    assert services.supply_match(product=product) == []
