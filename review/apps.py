from django.apps import AppConfig


class ReviewConfig(AppConfig):
    """The quarterly roadmap review: figures, charts, exports, frozen snapshots, calendar feed."""

    name = "review"
    verbose_name = "Roadmap review"

    def ready(self) -> None:
        # The cached reviews hear every write that can change a figure (after it commits).
        from review import home, signals  # noqa: F401  (home registers its section)

        signals.connect()
