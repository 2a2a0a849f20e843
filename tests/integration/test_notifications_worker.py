"""Notifications through a real Celery worker on Redis and PostgreSQL, with faults injected.

Each fault test counts deliveries at real sinks (an HTTP webhook receiver and an SMTP server,
tests/sinks.py) that honour the idempotency key like real receivers: every notification must
be kept exactly once (nothing lost, no effect twice), and only a send in flight when a worker
died may have been attempted twice (delivery is at-least-once; see requests_app.notifications).
"""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
import redis
from django.utils import timezone
from rest_framework.test import APIClient

from notifications import services as outbox
from notifications.channels.email import message_id
from notifications.models import Notification
from tests import factories
from tests.integration.conftest import wait_until
from tests.sinks import Sink, SmtpSink

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
LATER = dt.timedelta(minutes=3)  # past the sweep's grace period
SECRET = "integration-secret"


@pytest.fixture
def shared_redis_url():
    """The shared Redis on the database REDIS_URL names, so runs that set their own database
    (each engineer, each CI job) never flush one another's queues."""
    return os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def smtp():
    server = SmtpSink()
    yield server
    server.close()


@pytest.fixture
def world(sink):
    sink.secret = SECRET  # the receiver checks every signature
    domain = factories.DomainFactory(
        name="Payments", slug="payments", webhook_url=sink.url, webhook_secret=SECRET
    )
    lead = factories.UserFactory(username="lead")
    domain.leads.add(lead)
    pm = factories.UserFactory(username="pm")
    return {"domain": domain, "lead": lead, "pm": pm, "cycle": factories.CycleFactory()}


def _submit(world, title="Clicks per listing"):
    client = APIClient()
    client.force_authenticate(world["pm"])
    response = client.post(
        "/api/v1/requests/",
        {
            "title": title,
            "business_need": "Ranking",
            "target_domain": "payments",
            "needed_by_cycle": world["cycle"].slug,
            "submit": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _statuses(**filters):
    return sorted(Notification.objects.filter(**filters).values_list("status", flat=True))


def _resent(*sinks) -> list:
    """Keys a sink received more than once (acknowledged again, kept once)."""
    return [key for sink in sinks for key, n in sink.attempts.items() if n > 1]


def test_a_submitted_request_is_delivered_by_the_worker(
    world, sink, live_broker, workers, shared_redis_url, mail_dir
):
    redis.Redis.from_url(shared_redis_url).flushdb()
    live_broker(shared_redis_url)
    workers(shared_redis_url, EMAIL_URL="filemail://", EMAIL_FILE_PATH=mail_dir)
    request_id = _submit(world)
    # The lead's in-app row is there at once; the domain's webhook goes through the worker.
    assert _statuses(recipient=world["lead"], channel="in_app") == ["sent"]
    wait_until(lambda: _statuses(channel="webhook") == ["sent"], what="the webhook")
    assert len(sink.received) == 1
    # The lead accepts; the requester's email is sent by the worker.
    client = APIClient()
    client.force_authenticate(world["lead"])
    response = client.post(
        f"/api/v1/requests/{request_id}/accept/",
        {"planned_cycle": world["cycle"].slug, "effort": 3},
        format="json",
    )
    assert response.status_code == 200
    wait_until(lambda: _statuses(kind="accepted", channel="email") == ["sent"], what="the email")
    [mail_file] = os.listdir(mail_dir)
    with open(os.path.join(mail_dir, mail_file)) as fh:
        assert "was accepted for" in fh.read()


def test_a_broker_killed_while_requests_are_submitted_loses_nothing(
    world, sink, live_broker, workers, redis_servers
):
    broker = redis_servers()
    live_broker(broker.url)
    workers(broker.url)
    before = [_submit(world, f"Before {i}") for i in range(3)]
    wait_until(lambda: _statuses(channel="webhook") == ["sent"] * 3, what="the first webhooks")
    last = _submit(world, "Just before the kill")  # published, maybe not consumed yet
    broker.kill()
    during = [_submit(world, f"During {i}") for i in range(3)]  # filing still works
    ids = [*before, last, *during]
    assert (
        Notification.objects.filter(
            request_id__in=during, channel="webhook", status="pending"
        ).count()
        == 3
    )
    redis_servers(broker)  # the same server comes back on the same port, empty
    live_broker(broker.url)
    outbox.sweep(now=timezone.now() + LATER)
    wait_until(lambda: _statuses(channel="webhook") == ["sent"] * 7, 60, what="the sweep")
    expected = Notification.objects.filter(channel="webhook").values_list("dedupe_key", flat=True)
    assert set(sink.keys()) == set(expected)  # every one kept, once
    assert Notification.objects.filter(channel="webhook", request_id__in=ids).count() == 7
    assert _resent(sink) == []  # no worker died: nothing was even attempted twice
    assert sink.calls == 7
    # The lead's inbox has every one (in-app rows are written with the request).
    assert _statuses(recipient=world["lead"], channel="in_app") == ["sent"] * 7


def test_a_worker_killed_mid_batch_delivers_every_notification_exactly_once(
    world, sink, smtp, live_broker, workers, shared_redis_url
):
    redis.Redis.from_url(shared_redis_url).flushdb()
    live_broker(shared_redis_url)
    sink.delay = smtp.delay = 0.05
    lead = world["lead"]
    rows = Notification.objects.bulk_create(
        [
            Notification(
                recipient=lead, kind="accepted", channel="email", message=f"Mail {i}",
                dedupe_key=f"kill:mail:{i}",
            )
            for i in range(20)
        ]
        + [
            Notification(
                domain=world["domain"], kind="submitted", channel="webhook",
                message=f"Hook {i}", dedupe_key=f"kill:hook:{i}",
            )
            for i in range(40)
        ]
    )  # fmt: skip
    email = {"EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}"}
    first = workers(shared_redis_url, **email)
    outbox.dispatch_now([r.pk for r in rows])

    def kept():
        return len(sink.received) + len(smtp.messages)

    wait_until(lambda: kept() >= 10, what="the first deliveries")
    first.kill()  # SIGKILL the worker and its pool in the middle of a batch
    assert kept() < 60
    # What the dead worker had claimed and not recorded: its batch's in-flight row and the
    # rows it had not reached, under its lease (no other claim exists yet).
    held = set(
        Notification.objects.filter(status="pending", claimed_until__isnull=False).values_list(
            "pk", flat=True
        )
    )
    assert 0 < len(held) <= outbox.BATCH, "the kill should land in the middle of a batch"
    # Held only for what one send can take (the lease is renewed per send), not two minutes.
    latest = max(Notification.objects.filter(pk__in=held).values_list("claimed_until", flat=True))
    assert latest <= timezone.now() + outbox.LEASE
    workers(shared_redis_url, **email)
    outbox.sweep(now=timezone.now() + LATER)
    # The new worker sends everything else; the held rows wait for the lease to run out,
    # since a live worker on that lease could still be sending them.
    others = Notification.objects.exclude(pk__in=held)
    wait_until(lambda: not others.exclude(status="sent").exists(), 90, what="the other rows")
    assert set(_statuses(pk__in=held)) == {"pending"}
    # Once outbox.LEASE has passed, the dead worker's lease is over: move it there rather than
    # wait two minutes. The sweep hands the rows to the new worker.
    Notification.objects.filter(pk__in=held).update(claimed_until=timezone.now())
    outbox.sweep(now=timezone.now() + LATER)
    wait_until(lambda: set(_statuses()) == {"sent"}, 90, what="recovery")
    # Nothing lost, nothing kept twice: every webhook by its Idempotency-Key, every email by
    # the Message-ID derived from its dedupe key.
    assert sink.keys() == {f"kill:hook:{i}": 1 for i in range(40)}
    kept_ids = sorted(m["message"]["Message-ID"] for m in smtp.messages)
    assert kept_ids == sorted(message_id(f"kill:mail:{i}") for i in range(20))
    # At-least-once: only the send in flight at the kill may have been attempted twice.
    assert len(_resent(sink, smtp)) <= 1
    assert max([*sink.attempts.values(), *smtp.attempts.values()]) <= 2


def test_two_workers_handed_the_same_rows_send_each_one_once(
    world, sink, smtp, live_broker, workers, shared_redis_url
):
    redis.Redis.from_url(shared_redis_url).flushdb()
    live_broker(shared_redis_url)
    sink.delay = smtp.delay = 0.02
    lead = world["lead"]
    rows = Notification.objects.bulk_create(
        [
            Notification(
                recipient=lead, kind="accepted", channel=channel, message=f"Note {i}",
                dedupe_key=f"race:{channel}:{i}",
            )
            for i in range(30)
            for channel in ("email", "in_app")
        ]
        + [
            Notification(
                domain=world["domain"], kind="submitted", channel="webhook",
                message=f"Hook {i}", dedupe_key=f"race:hook:{i}",
            )
            for i in range(24)
        ]
    )  # fmt: skip
    email = {"EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}"}
    workers(shared_redis_url, **email)
    workers(shared_redis_url, **email)
    ids = [r.pk for r in rows]
    outbox.dispatch_now(ids)
    outbox.dispatch_now(ids)  # every batch twice: the two workers race for the same rows
    wait_until(lambda: set(_statuses()) == {"sent"}, 60, what="every row sent")
    # No worker died, so no row was even attempted twice: each claim kept the other out.
    assert sink.attempts == {f"race:hook:{i}": 1 for i in range(24)}
    assert sorted(smtp.attempts) == sorted(message_id(f"race:email:{i}") for i in range(30))
    assert set(smtp.attempts.values()) == {1}
    assert set(Notification.objects.values_list("attempts", "claimed_until")) == {(1, None)}


def test_a_failing_webhook_is_retried_with_backoff_and_others_are_unaffected(
    world, sink, live_broker, workers, shared_redis_url
):
    redis.Redis.from_url(shared_redis_url).flushdb()
    live_broker(shared_redis_url)
    workers(shared_redis_url, NOTIFICATION_BACKOFF_BASE_SECONDS="1")
    healthy = Sink(secret="other-secret")
    try:
        other = factories.DomainFactory(
            slug="search", name="Search", webhook_url=healthy.url, webhook_secret="other-secret"
        )
        sink.fail_first = 2  # 500, 500, then 200
        bad = Notification.objects.create(
            domain=world["domain"],
            kind="submitted",
            channel="webhook",
            message="A",
            dedupe_key="retry:a",
        )
        good = Notification.objects.create(
            domain=other, kind="submitted", channel="webhook", message="B", dedupe_key="retry:b"
        )
        outbox.dispatch_now([bad.pk, good.pk])
        wait_until(lambda: _statuses(pk=good.pk) == ["sent"], what="the healthy webhook")
        wait_until(lambda: _statuses(pk=bad.pk) == ["sent"], 40, what="the retried webhook")
        bad.refresh_from_db()
        assert bad.attempts == 3
        assert sink.keys() == {"retry:a": 1}
        assert sink.attempts == {"retry:a": 3}  # 500, 500, 200
        good.refresh_from_db()
        assert (good.attempts, good.last_error, healthy.attempts) == (1, "", {"retry:b": 1})
        assert good.sent_at < bad.sent_at  # not held back by the failing one's retries
    finally:
        healthy.close()


def test_a_hanging_webhook_times_out_and_succeeds_on_retry_and_others_are_unaffected(
    world, sink, live_broker, workers, shared_redis_url
):
    redis.Redis.from_url(shared_redis_url).flushdb()
    live_broker(shared_redis_url)
    workers(shared_redis_url, NOTIFICATION_BACKOFF_BASE_SECONDS="1")
    healthy = Sink(secret="other-secret")
    try:
        other = factories.DomainFactory(
            slug="search", name="Search", webhook_url=healthy.url, webhook_secret="other-secret"
        )
        sink.hang_first, sink.hang_seconds = 1, 7  # longer than the 5 s timeout
        row = Notification.objects.create(
            domain=world["domain"],
            kind="submitted",
            channel="webhook",
            message="H",
            dedupe_key="hang:1",
        )
        good = Notification.objects.create(
            domain=other, kind="submitted", channel="webhook", message="G", dedupe_key="hang:ok"
        )
        outbox.dispatch_now([row.pk, good.pk])  # one batch, the hanging one first

        def timed_out():
            row.refresh_from_db()
            return (row.status, row.attempts) == ("pending", 1) and row.last_error

        # Between the timeout and the retry (backoff of at least 0.5 s here) the row shows why.
        wait_until(timed_out, 20, interval=0.05, what="the timeout to be recorded")
        assert "Timeout" in row.last_error
        assert row.next_attempt_at is not None
        wait_until(lambda: _statuses(pk=row.pk) == ["sent"], 45, what="the retry")
        row.refresh_from_db()
        good.refresh_from_db()
        assert (row.attempts, row.last_error) == (2, "")
        assert sink.attempts == {"hang:1": 2}  # the hung request, then the retry
        assert sink.keys() == {"hang:1": 1}  # kept once
        assert (good.status, good.attempts, good.last_error) == ("sent", 1, "")
        assert healthy.keys() == {"hang:ok": 1}
        assert good.sent_at < row.sent_at  # sent before the hanging one's retry
    finally:
        healthy.close()


def test_hanging_webhooks_never_delay_email_on_their_own_queue(
    world, sink, smtp, live_broker, workers, shared_redis_url
):
    """As in production (docker-compose.yml): one worker for the default queue, one for
    webhooks. A full batch of webhooks to a receiver that hangs past the timeout holds only the
    webhook worker; the emails dispatched right after go out at once."""
    redis.Redis.from_url(shared_redis_url).flushdb()
    live_broker(shared_redis_url)
    sink.hang_first, sink.hang_seconds = 100, 6  # every webhook hangs past the 5 s timeout
    email = {"EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}"}
    workers(shared_redis_url, queues="celery", **email)
    workers(shared_redis_url, queues="webhooks", **email)
    hooks = Notification.objects.bulk_create(
        Notification(
            domain=world["domain"], kind="submitted", channel="webhook", message=f"H{i}",
            dedupe_key=f"slow:hook:{i}",
        )
        for i in range(outbox.WEBHOOK_BATCH)
    )  # fmt: skip
    mails = Notification.objects.bulk_create(
        Notification(
            recipient=world["lead"], kind="accepted", channel="email", message=f"M{i}",
            dedupe_key=f"slow:mail:{i}",
        )
        for i in range(5)
    )  # fmt: skip
    outbox.dispatch_now([h.pk for h in hooks])
    wait_until(lambda: sink.calls >= 1, 20, what="the first hanging webhook")
    outbox.dispatch_now([m.pk for m in mails])
    started = time.monotonic()
    wait_until(lambda: len(smtp.messages) == 5, 20, interval=0.05, what="the emails")
    assert time.monotonic() - started < 4  # not behind 8 webhooks x 5 s
    assert sink.calls <= 2  # the webhook worker is still busy with its hanging batch
