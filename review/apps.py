from django.apps import AppConfig


class ReviewConfig(AppConfig):
    """The quarterly roadmap review: figures, charts, exports, frozen snapshots, calendar feed."""

    name = "review"
    verbose_name = "Roadmap review"

    def ready(self) -> None:
        # The cached reviews hear every write that can change a figure (after it commits).
        # home registers its section; tasks registers the task the services call by name.
        from review import home, signals, tasks  # noqa: F401

        signals.connect()
