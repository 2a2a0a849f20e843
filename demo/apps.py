from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and `seed_demo`: the catalog, people and requests a newcomer sees on `make run`."""

    name = "demo"
