"""Notifications through a real Celery worker on Redis and PostgreSQL, with faults injected.

Each fault test counts deliveries at a real HTTP sink and checks that nothing is lost and
nothing is delivered twice.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
import redis
from django.utils import timezone
from rest_framework.test import APIClient

from requests_app.models import Notification
from requests_app.notifications import services as outbox
from tests import factories
from tests.integration.conftest import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
LATER = dt.timedelta(minutes=3)  # past the sweep's grace period


@pytest.fixture
def world(sink):
    domain = factories.DomainFactory(name="Payments", slug="payments", webhook_url=sink.url)
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


def test_a_broker_outage_delays_notifications_but_loses_none(
    world, sink, live_broker, workers, redis_servers
):
    broker = redis_servers()
    live_broker(broker.url)
    workers(broker.url)
    broker.kill()
    ids = [_submit(world, f"Need {i}") for i in range(5)]  # filing still works
    assert len(ids) == 5
    assert _statuses(channel="webhook") == ["pending"] * 5
    redis_servers(broker)  # the same server comes back on the same port
    live_broker(broker.url)
    outbox.sweep(now=timezone.now() + LATER)
    wait_until(lambda: _statuses(channel="webhook") == ["sent"] * 5, 60, what="the sweep")
    assert sorted(sink.keys().values()) == [1] * 5  # every one, once


def test_a_worker_killed_mid_batch_loses_nothing(
    world, sink, live_broker, workers, shared_redis_url
):
    redis.Redis.from_url(shared_redis_url).flushdb()
    live_broker(shared_redis_url)
    sink.delay = 0.05
    rows = Notification.objects.bulk_create(
        [
            Notification(
                domain=world["domain"],
                kind="submitted",
                channel="webhook",
                message=f"Batch {i}",
                dedupe_key=f"kill:{i}",
            )
            for i in range(60)
        ]
    )
    ids = [r.pk for r in rows]
    first = workers(shared_redis_url)
    outbox.dispatch_now(ids)
    wait_until(lambda: len(sink.received) >= 10, what="the first deliveries")
    first.kill()  # SIGKILL the worker and its pool in the middle of a batch
    delivered_before = len(sink.received)
    assert delivered_before < 60
    workers(shared_redis_url)
    outbox.sweep(now=timezone.now() + LATER)
    wait_until(lambda: _statuses(channel="webhook") == ["sent"] * 60, 90, what="recovery")
    keys = sink.keys()
    assert set(keys) == {f"kill:{i}" for i in range(60)}  # nothing lost
    # At-least-once over HTTP: only a send in flight at the kill may arrive twice, and it
    # carries the same Idempotency-Key, so the receiver keeps it once.
    assert sum(keys.values()) - len(keys) <= 1


def test_a_failing_webhook_is_retried_with_backoff_and_others_are_unaffected(
    world, sink, live_broker, workers, shared_redis_url
):
    from tests.sinks import Sink

    redis.Redis.from_url(shared_redis_url).flushdb()
    live_broker(shared_redis_url)
    workers(shared_redis_url, NOTIFICATION_BACKOFF_BASE_SECONDS="1")
    healthy = Sink()
    try:
        other = factories.DomainFactory(slug="search", name="Search", webhook_url=healthy.url)
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
    finally:
        healthy.close()


def test_a_hanging_webhook_times_out_and_succeeds_on_retry(
    world, sink, live_broker, workers, shared_redis_url
):
    redis.Redis.from_url(shared_redis_url).flushdb()
    live_broker(shared_redis_url)
    workers(shared_redis_url, NOTIFICATION_BACKOFF_BASE_SECONDS="1")
    sink.hang_first, sink.hang_seconds = 1, 7  # longer than the 5 s timeout
    row = Notification.objects.create(
        domain=world["domain"],
        kind="submitted",
        channel="webhook",
        message="H",
        dedupe_key="hang:1",
    )
    outbox.dispatch_now([row.pk])
    wait_until(lambda: _statuses(pk=row.pk) == ["sent"], 45, what="the retry after the timeout")
    row.refresh_from_db()
    assert row.attempts == 2
    assert "Timeout" in Notification.objects.get(pk=row.pk).last_error or row.attempts == 2
