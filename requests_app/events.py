"""Domain events: every state change a service makes is published here, inside its transaction.

Subscribers (the notification outbox) run in the same transaction as the change, so an event and
the rows it causes commit or roll back together. Register with ``subscribe`` from an AppConfig.
"""

from __future__ import annotations

from collections.abc import Callable

from django.dispatch import Signal

from requests_app.models import RequestEvent

Subscriber = Callable[[RequestEvent], None]
_subscribers: list[Subscriber] = []


def subscribe(handler: Subscriber) -> Subscriber:
    """Call ``handler(event)`` for every event recorded from now on (idempotent registration)."""
    if handler not in _subscribers:
        _subscribers.append(handler)
    return handler


def publish(event: RequestEvent) -> None:
    for handler in list(_subscribers):
        handler(event)


# Sent (with ``using``) after a bulk write to requests that model signals do not see, so that
# readers caching figures over requests (the review) know their data moved.
requests_bulk_changed = Signal()

# Sent (with ``snapshot``) inside the transaction that marks a cycle's frozen review done; the
# notifications app answers with the "review ready" rows, which commit with it.
review_ready = Signal()
