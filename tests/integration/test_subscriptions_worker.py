"""Subscriptions through a real Celery worker on Redis and PostgreSQL: a decision reaches a
Teams and a JSON subscription signed and once, while a hanging receiver is retried on its own."""

from __future__ import annotations

import os

import pytest
import redis
from django.conf import settings
from rest_framework.test import APIClient

from notifications.models import Notification, Subscription
from notifications.subscriptions import services as subs
from tests import factories
from tests.integration.conftest import wait_until
from tests.notifications.receivers import SignedReceiver

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
DECISIONS = ["triaged", "accepted", "declined", "deferred", "duplicate", "delivered"]


@pytest.fixture
def receivers():
    made = [SignedReceiver() for _ in range(3)]
    yield made
    for receiver in made:
        receiver.close()


def test_a_decision_reaches_each_subscription_once_and_a_hanging_one_blocks_none(
    receivers, live_broker, workers
):
    shared = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    redis.Redis.from_url(shared).flushdb()
    live_broker(shared)
    # Web and workers must share the key that encrypts subscription secrets (in production they
    # share SECRET_KEY; this worker has its own, so it gets the test process's key).
    key = settings.SUBSCRIPTION_ENCRYPTION_KEY or settings.SECRET_KEY
    workers(shared, NOTIFICATION_BACKOFF_BASE_SECONDS="1", SUBSCRIPTION_ENCRYPTION_KEY=key)
    domain = factories.DomainFactory(name="Payments", slug="payments")
    lead, pm = factories.UserFactory(username="lead"), factories.UserFactory(username="pm")
    domain.leads.add(lead)
    cycle = factories.CycleFactory()
    teams, everything, hanging = receivers
    hanging.hang_first, hanging.hang_seconds = 1, 7  # past the 5 s timeout, then fine
    for receiver, fmt, events in (
        (teams, "teams", DECISIONS),
        (everything, "json", list(Subscription.Event.values)),
        (hanging, "json", DECISIONS),
    ):
        _sub, receiver.secret = subs.subscription_create(
            actor=lead, url=receiver.url, format=fmt, events=events, domain=domain
        )
    data_request = factories.DataRequestFactory(
        requester=pm, target_domain=domain, needed_by_cycle=cycle, status="submitted"
    )

    client = APIClient()
    client.force_authenticate(lead)
    response = client.post(
        f"/api/v1/requests/{data_request.pk}/accept/",
        {"planned_cycle": cycle.slug, "effort": 3},
        format="json",
    )
    assert response.status_code == 200

    rows = Notification.objects.filter(subscription__isnull=False)
    wait_until(lambda: len(teams.received) == len(everything.received) == 1, what="deliveries")
    wait_until(
        lambda: sorted(rows.values_list("status", flat=True)) == ["sent"] * 3,
        60,
        what="the hanging receiver's retry",
    )
    assert teams.json()["attachments"][0]["content"]["type"] == "AdaptiveCard"
    assert everything.json()["type"] == "accepted"
    for receiver in receivers:
        assert list(receiver.keys().values()) == [1]  # each kept once
    assert len(hanging.received) == 1
    assert hanging.attempts.total() == 2  # the hung request, then the retry
