"""Reads of demand shared by the request pages and the API: who else needs a request."""

from __future__ import annotations

from django.db.models import QuerySet

from products.models import DataProduct
from requests_app import lifecycle, similar
from requests_app.models import DataRequest, Endorsement, RequestEvent


def request_endorsements(*, data_request: DataRequest) -> QuerySet[Endorsement]:
    """Who else needs a request: its endorsements, oldest first, with user, team and cycle."""
    return data_request.endorsements.select_related(
        "user", "requesting_domain", "needed_by_cycle"
    ).order_by("created_at", "pk")


def product_suggestions(*, data_request: DataRequest) -> list[DataProduct]:
    """Data products that may answer an open request and that nobody has called "not quite"
    yet, newest suggestion first (two queries; none for a closed request)."""
    if data_request.status not in lifecycle.ENDORSABLE_STATES:
        return []
    pending: dict[int, None] = {}
    kinds = (RequestEvent.Kind.PRODUCT_SUGGESTED, RequestEvent.Kind.SUGGESTION_DISMISSED)
    for kind, data in (
        data_request.events.filter(kind__in=kinds).order_by("at", "pk").values_list("kind", "data")
    ):
        product_id = data.get("product")
        if kind == RequestEvent.Kind.PRODUCT_SUGGESTED:
            pending[product_id] = None
        else:
            pending.pop(product_id, None)
    if not pending:
        return []
    products = DataProduct.objects.select_related("domain").in_bulk(list(pending))
    live = DataProduct.Status.DEPRECATED
    return [products[i] for i in reversed(pending) if i in products and products[i].status != live]


def requests_product_may_answer(*, product: DataProduct, limit: int = 10) -> list[DataRequest]:
    """Open (filed, not closed) requests a live product may answer, best match first."""
    if product.status == DataProduct.Status.DEPRECATED:
        return []
    found = similar.requests_similar(q=product.name, limit=limit)["requests"]
    return [r for r in found if r.status in lifecycle.ENDORSABLE_STATES]
