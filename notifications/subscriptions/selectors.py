"""Reads of subscriptions for the pages and the API."""

from __future__ import annotations

from django.db.models import QuerySet

from notifications.models import Subscription
from products import access
from products.models import Domain


def subscriptions_for(*, user, domain: Domain | None = None) -> QuerySet[Subscription]:
    """What ``user`` manages: staff see all, a lead their domains'; optionally one domain."""
    found = Subscription.objects.select_related("domain").order_by("domain__name", "pk")
    if domain is not None:
        found = found.filter(domain=domain)
    if access.is_staff(user):
        return found
    return found.filter(domain__in=access.domain_ids(user)[0])
