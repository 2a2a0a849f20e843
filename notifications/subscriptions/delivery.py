"""Sending one subscription row (called by the webhook channel), and what a failure does to the
subscription: the first failure since the last success starts its clock; a subscription still
failing a day later is paused and its owners are told (in the inbox and by email)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core import outbound
from notifications.channels.base import ChannelError
from notifications.channels.formats import render
from notifications.models import Notification, Subscription
from notifications.services.outbox import notification_message, rows_for_users, store_rows
from notifications.subscriptions import crypto, sender

PAUSE_AFTER = dt.timedelta(days=1)
User = get_user_model()


def send(notification: Notification) -> None:
    """Deliver one row to its subscription; raises `ChannelError` (permanent for a paused
    subscription, an unreadable secret or a 4xx answer; otherwise retried with backoff)."""
    subscription = notification.subscription
    if not subscription.active:
        raise ChannelError("The subscription is paused.", permanent=True)
    try:
        secret = crypto.decrypt(subscription.secret_encrypted)
    except crypto.SecretUnreadable as exc:
        raise ChannelError(str(exc), permanent=True) from exc
    envelope = notification.payload["envelope"]
    body = render(subscription.format, envelope)
    try:
        answer = sender.post(
            url=subscription.url,
            body=body,
            secret=secret,
            key=notification.dedupe_key,
            event_type=envelope["type"],
        )
    except outbound.UnsafeDestination as exc:
        error = f"Refused: {exc}"[:500]
        record_failure(subscription, error)
        raise ChannelError(error, permanent=True) from exc
    except sender.UNREACHABLE as exc:
        error = f"Unreachable: {exc.__class__.__name__}: {exc}"[:500]
        record_failure(subscription, error)
        raise ChannelError(error) from exc
    if answer.ok:
        record_success(subscription)
        return
    error = f"Answered {answer.status}: {answer.body[:200]}"
    record_failure(subscription, error)
    retry = answer.status >= 500 or answer.status in (408, 429)
    raise ChannelError(error, permanent=not retry)


def record_success(subscription: Subscription) -> None:
    if subscription.failing_since or subscription.last_error:
        Subscription.objects.filter(pk=subscription.pk).update(failing_since=None, last_error="")


def record_failure(subscription: Subscription, error: str, now: dt.datetime | None = None) -> bool:
    """Count a failed delivery; pause the subscription once it has failed for a day (and tell
    its owners, once). Returns True when this failure paused it."""
    now = now or timezone.now()
    with transaction.atomic():
        current = Subscription.objects.select_for_update().get(pk=subscription.pk)
        current.last_error = error
        current.failing_since = current.failing_since or now
        fields = ["last_error", "failing_since", "updated_at"]
        paused = current.active and now - current.failing_since >= PAUSE_AFTER
        if paused:
            current.active = False
            current.paused_reason = f"Failed for a day: {error}"[:300]
            fields += ["active", "paused_reason"]
        current.save(update_fields=fields)
        if paused:
            _tell_owners(current)
    return paused


def owners(subscription: Subscription) -> list:
    """Who manages a subscription: its domain's leads, else whoever created it."""
    if subscription.domain_id:
        return list(subscription.domain.leads.filter(is_active=True))
    return [subscription.created_by] if subscription.created_by else []


def _tell_owners(subscription: Subscription) -> None:
    path = (
        f"/domains/{subscription.domain.slug}/subscriptions/"
        if subscription.domain_id
        else "/subscriptions/"
    )
    store_rows(
        rows_for_users(
            kind=Notification.Kind.SUBSCRIPTION_PAUSED,
            users=owners(subscription),
            key=f"subscription{subscription.pk}:paused:{subscription.failing_since.timestamp():.0f}",
            message=notification_message("subscription_paused", subscription=subscription),
            path=path,
        )
    )
