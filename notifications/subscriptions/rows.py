"""Outbox rows for subscriptions: one webhook row per active subscription that hears an event
(its domain's, and the all-domain ones), written in the event's transaction like every row."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from notifications.models import Notification, Subscription
from notifications.subscriptions import envelope as env
from requests_app.models import DataRequest, RequestEvent


def listening(type_: str, domain_ids: set[int] | None) -> list[Subscription]:
    """Active subscriptions that hear ``type_`` for any of ``domain_ids`` (None: an event of
    no domain, heard by every subscription that chose it). One query; the kind is matched in
    Python (SQLite cannot look inside JSON lists)."""
    found = Subscription.objects.filter(active=True)
    if domain_ids is not None:
        found = found.filter(Q(domain__isnull=True) | Q(domain__in=domain_ids))
    return [s for s in found if type_ in s.events]


def rows_for(
    *,
    type_: str,
    domain_ids: set[int] | None,
    key: str,
    envelope: Callable[[], dict],
    message: object,
    path: str,
    request: DataRequest | None = None,
    cycle=None,
) -> list[Notification]:
    """One pending webhook row per listening subscription; ``envelope`` is built only if one
    listens. The row keeps the envelope, so a retry sends the same body."""
    subscriptions = listening(type_, domain_ids)
    if not subscriptions:
        return []
    base = envelope()
    rows = []
    for subscription in subscriptions:
        dedupe_key = f"{key}:s{subscription.pk}"
        rows.append(
            Notification(
                domain_id=subscription.domain_id,
                subscription=subscription,
                kind=type_,
                request=request,
                cycle=cycle,
                channel=Notification.Channel.WEBHOOK,
                # A team's channel reads the site's language (`Message` renders in it).
                message=str(message)[:500],
                payload={"path": path, "envelope": env.with_id(base, dedupe_key)},
                dedupe_key=dedupe_key,
            )
        )
    return rows


def rows_for_request_event(
    event: RequestEvent, data_request: DataRequest, message: object
) -> list[Notification]:
    """Rows for a request event its target domain's subscriptions hear."""
    type_ = env.TYPE_OF_REQUEST_EVENT.get(event.kind)
    if type_ is None or data_request.target_domain_id is None:
        return []
    path = data_request.get_absolute_url()

    def envelope() -> dict:
        extra = {"actor": event.actor.username if event.actor else None}
        if event.kind == RequestEvent.Kind.WORK_ITEM_DONE:
            extra["work_item"] = {k: event.data.get(k) for k in ("kind", "key", "url")}
        return env.build(
            type_=type_,
            occurred_at=event.at,
            message=message,
            path=path,
            request=env.request_data(data_request),
            **extra,
        )

    return rows_for(
        type_=type_,
        domain_ids={data_request.target_domain_id},
        key=f"event{event.pk}",
        envelope=envelope,
        message=message,
        path=path,
        request=data_request,
    )


def rows_for_notice(
    *,
    type_: str,
    domain_ids: set[int] | None,
    key: str,
    message: object,
    path: str,
    cycle=None,
    **extra,
) -> list[Notification]:
    """Rows for a notice that is not a request event (triage overdue, deadline, review)."""
    message = str(message)  # a team's channel reads the site's language
    return rows_for(
        type_=type_,
        domain_ids=domain_ids,
        key=key,
        envelope=lambda: env.build(
            type_=type_, occurred_at=None, message=message, path=path, **extra
        ),
        message=message,
        path=path,
        cycle=cycle,
    )
