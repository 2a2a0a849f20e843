"""Notification throughput against no-op Celery tasks, on one worker and the same Redis broker.

Run by bench.run as a subprocess, with DATABASE_URL pointing at a bench database and REDIS_URL
at the bench broker (BENCH_REDIS_URL, redis://127.0.0.1:6379/9 by default). It starts ONE Celery
worker (prefork, concurrency 1, the product's settings) that also loads `bench.noop_tasks`, then:

- no-op: enqueues COUNT `bench.noop` tasks and times them from the first enqueue until the last
  has run;
- notifications: writes COUNT outbox rows, pending, half in-app and half email (to the file
  backend), then times them from the hand-over to Celery until every row is `sent`. The rows go
  the product's real way: `notifications.services.dispatch_now` batches them into
  `notifications.tasks.deliver_notifications` tasks, which call `services.deliver` (claim, send
  through the channel, mark sent). Nothing about delivery is reimplemented here.

Prints JSON: count, notify_per_s, noop_per_s, the seconds of each, emails written, and the
worker's peak RSS. The rows it wrote are deleted afterwards, so the database stays reusable.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

ROOT = Path(__file__).resolve().parent.parent
COUNT = int(os.environ.get("BENCH_NOTIFY_COUNT", "10000"))
WARMUP = 200
TIMEOUT = float(os.environ.get("BENCH_NOTIFY_TIMEOUT", "900"))
KEY = "benchprobe:"


def log(msg: str) -> None:
    print(f"[notify] {msg}", file=sys.stderr, flush=True)


def start_worker(mail_dir: str) -> subprocess.Popen:
    env = dict(os.environ, EMAIL_URL="filemail://", EMAIL_FILE_PATH=mail_dir)
    celery = Path(sys.executable).parent / "celery"
    logfile = open(Path(tempfile.gettempdir()) / "upstream-bench-worker.log", "w")  # noqa: SIM115
    return subprocess.Popen(
        [
            str(celery),
            "-A",
            "config",
            "worker",
            "--include",
            "bench.noop_tasks",
            "--pool",
            "prefork",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
            "--hostname",
            f"bench-notify-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        stdout=logfile,
        stderr=subprocess.STDOUT,
    )


def stop_worker(worker: subprocess.Popen) -> None:
    worker.terminate()
    try:
        worker.wait(30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(10)


def run_noops(count: int) -> float:
    """Seconds from the first enqueue until all ``count`` no-op tasks have run."""
    from celery.result import ResultSet

    from bench.noop_tasks import noop

    start = time.perf_counter()
    results = [noop.delay() for _ in range(count)]
    # One worker process, prefetch 1, a FIFO list on Redis: the last one runs last.
    results[-1].get(timeout=TIMEOUT, propagate=True)
    elapsed = time.perf_counter() - start
    done = ResultSet(results).completed_count()
    if done != count:
        raise SystemExit(f"only {done} of {count} no-op tasks completed")
    return elapsed


def write_rows(count: int, tag: str) -> list[int]:
    """``count`` pending outbox rows, alternately in-app and email, to bench users."""
    from django.contrib.auth import get_user_model

    from notifications.models import Notification
    from requests_app.models import DataRequest

    users = list(
        get_user_model().objects.exclude(email="").order_by("pk").values_list("pk", flat=True)
    )
    requests = list(DataRequest.objects.order_by("-pk").values_list("pk", flat=True)[:1000])
    rows = []
    for i in range(count):
        channel = Notification.Channel.IN_APP if i % 2 else Notification.Channel.EMAIL
        request_id = requests[i % len(requests)]
        rows.append(
            Notification(
                recipient_id=users[i % len(users)],
                kind="accepted",
                request_id=request_id,
                channel=channel,
                message=f"DR-{request_id} was accepted for the next cycle.",
                payload={"path": f"/requests/{request_id}/"},
                dedupe_key=f"{KEY}{tag}:{i}:{channel}",
            )
        )
    created = Notification.objects.bulk_create(rows, batch_size=2000)
    return [row.pk for row in created]


def run_notifications(ids: list[int]) -> float:
    """Seconds from handing ``ids`` to Celery until every one of them is sent."""
    from notifications import services
    from notifications.models import Notification

    # The rows were inserted together: poll their id range rather than a 10,000-id IN list.
    pending = Notification.objects.filter(
        pk__gte=min(ids), pk__lte=max(ids), dedupe_key__startswith=KEY
    ).exclude(status=Notification.Status.SENT)
    start = time.perf_counter()
    services.dispatch_now(ids)
    while pending.exists():
        if time.perf_counter() - start > TIMEOUT:
            stuck = pending.values_list("status", "last_error").first()
            raise SystemExit(f"notifications not all sent after {TIMEOUT} s (e.g. {stuck})")
        time.sleep(0.05)
    return time.perf_counter() - start


def emails_in(mail_dir: str) -> int:
    """Messages the file backend wrote (each carries its dedupe key in a header)."""
    return sum(
        path.read_text(errors="replace").count("X-Upstream-Notification: ")
        for path in Path(mail_dir).iterdir()
    )


def main() -> None:
    import django

    django.setup()
    from django.db.models import Count

    from bench.run import PeakMemory
    from config.celery import app
    from notifications.models import Notification

    Notification.objects.filter(dedupe_key__startswith=KEY).delete()  # an earlier run's
    purged = app.control.purge()
    if purged:
        log(f"purged {purged} stale messages from the bench broker")
    mail_dir = tempfile.mkdtemp(prefix="upstream-bench-mail-")
    worker = start_worker(mail_dir)
    memory = PeakMemory(worker.pid)
    memory.start()
    try:
        run_noops(WARMUP)  # the worker is up, connections open, code imported
        run_notifications(write_rows(WARMUP, "warmup"))
        warm_emails = emails_in(mail_dir)
        log(f"worker warm; {COUNT:,} no-op tasks")
        noop_s = run_noops(COUNT)
        ids = write_rows(COUNT, "run")
        log(f"{COUNT:,} notifications ({COUNT // 2:,} in-app, {COUNT - COUNT // 2:,} email)")
        notify_s = run_notifications(ids)
        emails = emails_in(mail_dir) - warm_emails
        statuses = dict(
            Notification.objects.filter(pk__in=ids).values_list("status").annotate(n=Count("pk"))
        )
    finally:
        memory.stop.set()
        stop_worker(worker)
        Notification.objects.filter(dedupe_key__startswith=KEY).delete()
        shutil.rmtree(mail_dir, ignore_errors=True)
    result = {
        "count": COUNT,
        "notify_per_s": round(COUNT / notify_s, 1),
        "noop_per_s": round(COUNT / noop_s, 1),
        "notify_seconds": round(notify_s, 2),
        "noop_seconds": round(noop_s, 2),
        "emails_written": emails,
        "statuses": statuses,
        "worker_peak_rss_mb": round(memory.peak / 2**20, 1),
    }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
