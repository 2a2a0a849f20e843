from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """The outbox, channels, delivery, reminders, digests, preferences and the inbox. It hears
    request events (it subscribes at ready); nothing below it imports it."""

    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # The outbox hears every request event inside the transaction that records it.
        from notifications.services import enqueue_for_event
        from requests_app import events

        events.subscribe(enqueue_for_event)
