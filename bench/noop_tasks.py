"""The yardstick for `bench.notify_probe`: a Celery task that does nothing.

Its throughput on the same broker and worker is what notification delivery is compared with.
Loaded only by the benchmark's worker (``celery worker --include bench.noop_tasks``); the module
is not named ``tasks.py``, so production workers never autodiscover it.
"""

from __future__ import annotations

from celery import shared_task


@shared_task(name="bench.noop")
def noop() -> None:
    """Does nothing: what is left is the broker round trip and the worker's own overhead."""
