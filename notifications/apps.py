from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """The outbox, channels, delivery, reminders, digests, preferences and the inbox. It hears
    request events (it subscribes at ready); nothing below it imports it."""

    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # The outbox hears every request event inside the transaction that records it.
        from notifications import tasks  # noqa: F401  (registers the tasks services call by name)
        from notifications.services import enqueue_for_event, notify_review_ready
        from requests_app import events

        events.subscribe(enqueue_for_event)
        # "Consume instead": the catalog announces asks and answers; we tell the people.
        from notifications.services.consumers import (
            notify_consumer_decided,
            notify_consumer_requested,
        )
        from products.signals import consumer_decided, consumer_requested

        consumer_requested.connect(
            lambda sender, consumer_request, actor=None, **_: notify_consumer_requested(
                consumer_request=consumer_request, actor=actor
            ),
            dispatch_uid="notifications-consumer-requested",
            weak=False,
        )
        consumer_decided.connect(
            lambda sender, consumer_request, actor=None, **_: notify_consumer_decided(
                consumer_request=consumer_request, actor=actor
            ),
            dispatch_uid="notifications-consumer-decided",
            weak=False,
        )
        events.review_ready.connect(
            lambda sender, snapshot, **_: notify_review_ready(snapshot=snapshot),
            dispatch_uid="notifications-review-ready",
            weak=False,
        )
