from django.apps import AppConfig


class RequestsAppConfig(AppConfig):
    """Roadmap cycles, data requests, their lifecycle and prioritization (the board)."""

    name = "requests_app"
    verbose_name = "Data requests"

    def ready(self) -> None:
        from products.signals import product_available
        from requests_app import home, pages  # noqa: F401  (register home sections, page context)
        from requests_app.services.supply import supply_match

        # Supply finds demand: a published product tells the open requests it may answer.
        product_available.connect(
            lambda sender, product, actor=None, **_: supply_match(product=product, actor=actor),
            dispatch_uid="requests-supply-match",
            weak=False,
        )
