"""A first walk through the lifecycle; the full matrix lives in test_services_lifecycle.py."""

import pytest

from core.errors import NotPermitted, TransitionNotAllowed
from products.models import DataProduct
from requests_app import services
from tests import factories


@pytest.mark.django_db
def test_a_request_goes_from_draft_to_delivered(requester, lead, member, target_domain):
    cycle = factories.CycleFactory()
    request = services.request_create(
        actor=requester,
        title="Search clicks per listing",
        business_need="Rank listings by engagement",
        target_domain=target_domain,
        needed_by_cycle=cycle,
    )
    request = services.request_submit(data_request=request, actor=requester)
    assert request.status == "submitted"
    with pytest.raises(NotPermitted):
        services.request_accept(data_request=request, actor=member, planned_cycle=cycle, effort=3)
    request = services.request_accept(
        data_request=request, actor=lead, planned_cycle=cycle, effort=3
    )
    assert (request.status, request.rank, request.triaged_at is not None) == ("accepted", 1, True)
    with pytest.raises(TransitionNotAllowed) as exc:
        services.request_deliver(data_request=request, actor=member, delivered_product=None)
    assert "start" in exc.value.extra["allowed_actions"]
    request = services.request_start(data_request=request, actor=member)
    product = factories.DataProductFactory(domain=target_domain, status=DataProduct.Status.SHARED)
    request = services.request_deliver(
        data_request=request, actor=member, delivered_product=product
    )
    assert request.status == "delivered"
    kinds = list(request.events.values_list("kind", flat=True))
    assert kinds == ["created", "submit", "accept", "start", "deliver"]
