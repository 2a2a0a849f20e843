"""Supply finds demand: when a data product is published or becomes `shared` or `product`, the
open requests it may answer (the similarity used while filing) hear of it; their requester (or
the producing team) says in one click whether it answers the need."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import NotPermitted, TransitionNotAllowed
from products.models import DataProduct
from requests_app import demand_selectors, lifecycle
from requests_app.models import DataRequest, RequestEvent
from requests_app.services.common import lock_request, record_event
from requests_app.services.transitions import request_deliver, request_withdraw

S = DataRequest.Status
E = RequestEvent.Kind
# At most this many requests hear of one product: the best matches.
MAX_MATCHES = 10


def supply_match(*, product: DataProduct, actor=None) -> list[DataRequest]:
    """Record a `product_suggested` event (its notifications go to the requester and the target
    domain's leads) on each open request ``product`` may answer, across domains, once per
    request and product. Runs in the caller's transaction (the product's publication)."""
    if product.status == DataProduct.Status.DEPRECATED:
        return []
    found = demand_selectors.requests_product_may_answer(product=product, limit=MAX_MATCHES)
    told = set(
        RequestEvent.objects.filter(
            request__in=found, kind=E.PRODUCT_SUGGESTED, data__product=product.pk
        ).values_list("request_id", flat=True)
    )
    matched = [r for r in found if r.pk not in told]
    for data_request in matched:
        record_event(
            data_request,
            actor=actor,
            kind=E.PRODUCT_SUGGESTED,
            data={
                "product": product.pk,
                "product_name": product.name,
                "product_domain": product.domain.name,
            },
        )
    return matched


@transaction.atomic
def request_answer_with_product(
    *, data_request: DataRequest, product: DataProduct, actor, answers: bool, reason: str = ""
) -> DataRequest:
    """ "This answers my need": the request is delivered with ``product`` when the producing team
    says so of work in progress, or withdrawn by its requester with that reason (the lifecycle's
    rules decide which). "Not quite" (``answers`` false): recorded, the suggestion goes away.
    The requester, the target domain's team and staff may answer."""
    data_request = lock_request(data_request)
    roles = lifecycle.roles_of(actor, data_request)
    if not roles & (lifecycle.REQUESTER_ROLES | lifecycle.TEAM_ROLES):
        raise NotPermitted(
            _("Only the requester or the team of %(domain)s (or staff) may answer this.")
            % {"domain": data_request.target_domain}
        )
    if data_request.status not in lifecycle.ENDORSABLE_STATES:
        raise TransitionNotAllowed(
            _("%(key)s is %(status)s: nothing is left to answer.")
            % {"key": data_request.key, "status": data_request.get_status_display().lower()},
            allowed_actions=lifecycle.allowed_actions(actor, data_request),
        )
    if not answers:
        record_event(
            data_request,
            actor=actor,
            kind=E.SUGGESTION_DISMISSED,
            data={"product": product.pk, "reason": (reason or "")[:500]},
        )
        return data_request
    if data_request.status == S.IN_PROGRESS and roles & lifecycle.TEAM_ROLES:
        return request_deliver(data_request=data_request, actor=actor, delivered_product=product)
    if roles & lifecycle.REQUESTER_ROLES:
        because = _("Answered by the data product %(name)s of %(domain)s.") % {
            "name": product.name,
            "domain": product.domain.name,
        }
        return request_withdraw(data_request=data_request, actor=actor, reason=because)
    raise TransitionNotAllowed(
        _(
            "%(key)s is not in progress, so it cannot be delivered yet; its requester can withdraw "
            "it as answered."
        )
        % {"key": data_request.key},
        allowed_actions=lifecycle.allowed_actions(actor, data_request),
    )
