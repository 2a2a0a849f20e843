"""Notifications of "consume instead": the producing domain's leads hear a team's ask to consume
a data product; the asker hears the answer. Written in the transaction of the ask or decision
(the catalog sends the signals; this app subscribes at ready)."""

from __future__ import annotations

from notifications.models import Notification
from notifications.services.outbox import notification_message, rows_for_users, store_rows

K = Notification.Kind


def notify_consumer_requested(*, consumer_request, actor=None) -> int:
    """Tell the producing domain's leads (not the actor) that a team asks to consume a product."""
    product = consumer_request.product
    leads = [u for u in product.domain.leads.all() if getattr(actor, "pk", None) != u.pk]
    message = notification_message(
        K.CONSUMER_REQUESTED,
        product=product,
        domain=consumer_request.domain,
        use_case=consumer_request.use_case,
    )
    rows = rows_for_users(
        kind=K.CONSUMER_REQUESTED,
        users=leads,
        key=f"consumer-ask{consumer_request.pk}",
        message=message,
        path=f"{product.get_absolute_url()}#consumer-requests",
    )
    for row in rows:
        row.domain = product.domain
    return store_rows(rows)


def notify_consumer_decided(*, consumer_request, actor=None) -> int:
    """Tell the asker whether the producing domain confirmed or declined (with its reason)."""
    asker = consumer_request.requested_by
    if asker is None or asker.pk == getattr(actor, "pk", None):
        return 0
    product = consumer_request.product
    message = notification_message(
        K.CONSUMER_DECIDED,
        product=product,
        domain=consumer_request.domain,
        confirmed=consumer_request.status == "confirmed",
        reason=consumer_request.reason,
    )
    rows = rows_for_users(
        kind=K.CONSUMER_DECIDED,
        users=[asker],
        key=f"consumer-answer{consumer_request.pk}",
        message=message,
        path=product.get_absolute_url(),
    )
    return store_rows(rows)
