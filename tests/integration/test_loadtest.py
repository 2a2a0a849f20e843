"""CI's short version of the load test (`make loadtest` runs the full minute): several users file,
read and decide against the live test server for a few seconds, a real Celery worker on Redis
delivers the notifications, then `bench.loadtest.verify` accounts for every request, transition
and notification in the database."""

from __future__ import annotations

import os

import pytest

from bench import loadtest

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
USERS = 9  # three leads' threads (two sharing a token, so they race) and six product managers
SECONDS = 12


def test_a_short_mixed_load_loses_nothing(live_server, live_broker, workers):
    # The run's own Redis database (REDIS_URL) is the broker; nothing in it is flushed, so a
    # developer's queues survive. Another worker consuming that database would steal tasks.
    broker = os.environ["REDIS_URL"]
    live_broker(broker)  # the live server publishes to Redis instead of delivering in-process
    worker = workers(broker, EMAIL_URL="memorymail://")

    world = loadtest.prepare_world(USERS)
    tally = loadtest.run(live_server.url, world, USERS, SECONDS)
    problems = loadtest.verify(tally, world, drain_seconds=90)
    print(  # shown when the test fails
        f"calls {dict(tally.calls)}; created {len(tally.created)}; "
        f"transitions {len(tally.transitions)}; lost races {tally.lost_races}"
    )

    assert problems == [], problems
    assert len(tally.created) >= 20, tally.calls  # the load was real
    assert len(tally.transitions) >= 10, tally.calls
    assert any("deliver_notifications" in line for line in worker.lines)  # the worker delivered
