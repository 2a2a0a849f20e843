"""Domain events: every state change a service makes is published here, inside its transaction.

Subscribers (the notification outbox) run in the same transaction as the change, so an event and
the rows it causes commit or roll back together. Register with ``subscribe`` from an AppConfig.
"""

from __future__ import annotations

from collections.abc import Callable

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
