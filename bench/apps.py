from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark tooling: the data generator command and bench-only endpoints (ceiling, peer)."""

    name = "bench"
    verbose_name = "Benchmarks"
