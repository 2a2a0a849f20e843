from django.apps import AppConfig


class RequestsAppConfig(AppConfig):
    """Roadmap cycles, data requests, their lifecycle and prioritization (the board)."""

    name = "requests_app"
    verbose_name = "Data requests"

    def ready(self) -> None:
        from requests_app import home, pages  # noqa: F401  (register home sections, page context)
