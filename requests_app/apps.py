from django.apps import AppConfig


class RequestsAppConfig(AppConfig):
    """Roadmap cycles, data requests, prioritization, notifications and the quarterly review."""

    name = "requests_app"
    verbose_name = "Data requests"

    def ready(self) -> None:
        # The outbox hears every request event inside the transaction that records it.
        from requests_app import events
        from requests_app.notifications import admin  # noqa: F401  (registers the admin)
        from requests_app.notifications.services import enqueue_for_event

        events.subscribe(enqueue_for_event)

        # The cached reviews hear every write that can change a figure (after it commits).
        from requests_app.review import signals as review_signals

        review_signals.connect()
