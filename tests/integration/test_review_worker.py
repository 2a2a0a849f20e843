"""The frozen review computed by a real Celery worker on Redis, against the test database.

The worker is a subprocess (`celery -A config worker`) pointed at pytest-django's test database and
at REDIS_URL; the test process sends the task for real (not eagerly) after the freeze commits.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from review import services
from review.models import ReviewSnapshot
from tests.review.review_fixture import build_review_world

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 90  # a bound on waiting, not an assertion about speed


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def real_broker():
    """Send tasks to the broker for this test instead of running them in-process."""
    from config.celery import app

    app.control.purge()  # leftovers from an interrupted run would only add noise
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield app
    app.conf.task_always_eager = eager


@pytest.fixture
def worker(transactional_db, real_broker, tmp_path):
    """A Celery worker subprocess on the test database; stopped (and killed if need be) after."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "SECRET_KEY": "integration-test-only",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "CONN_MAX_AGE": "0",
    }
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "config", "worker",
                "--pool=solo", "--concurrency=1", "--loglevel=INFO",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                "-n", f"review-test-{os.getpid()}@%h",
            ],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        process.log_path = log_path
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _wait_until_finished(snapshot: ReviewSnapshot, worker) -> ReviewSnapshot:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        snapshot.refresh_from_db()
        if snapshot.status in (ReviewSnapshot.Status.DONE, ReviewSnapshot.Status.FAILED):
            return snapshot
        if worker.poll() is not None:
            break
        time.sleep(0.25)
    output = Path(worker.log_path).read_text()[-3000:]
    pytest.fail(f"The worker did not finish the snapshot (status {snapshot.status}).\n{output}")


def test_a_real_worker_computes_the_frozen_review(worker, staff, settings):
    settings.TRIAGE_SLA_WORKING_DAYS = 5
    world = build_review_world()
    snapshot = services.review_freeze(cycle=world.cycle, actor=staff)  # commits, then sends

    snapshot = _wait_until_finished(snapshot, worker)
    assert (snapshot.status, snapshot.progress, snapshot.error) == ("done", 100, "")
    assert snapshot.finished_at is not None
    assert snapshot.data["overall"]["filed"] == 15
    assert snapshot.data["overall"]["delivery_pct"] == 40.0
    assert snapshot.data["overall"]["median_lead_time_days"] == 59.0
    assert [d["slug"] for d in snapshot.data["domains"]] == ["search", "payments", "logistics"]
    # The worker, not this process, ran it. It logs the task's success after the task has
    # committed the snapshot: on a slow machine that line lands a moment after the row.
    deadline = time.monotonic() + 30
    log = worker.log_path.read_text()
    while "succeeded" not in log and time.monotonic() < deadline:
        time.sleep(0.2)
        log = worker.log_path.read_text()
    assert "review.compute_review_snapshot" in log
    assert "succeeded" in log
