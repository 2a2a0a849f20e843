"""Redis down (broker, result store and cache in one server, as in production): the API and the
pages still answer writes, fast, and every notification is delivered once Redis is back."""

from __future__ import annotations

import statistics
import time

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from notifications import services as outbox
from notifications.models import Notification
from tests import factories
from tests.integration.conftest import wait_until
from tests.integration.test_notifications_worker import LATER, SECRET

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
WRITES = 6  # per door
P95_SECONDS = 2.0


def _p95(durations: list[float]) -> float:
    return statistics.quantiles(durations, n=20, method="inclusive")[-1]


def _cache_on(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "core.cache.DegradingRedisCache",
            "LOCATION": url.rsplit("/", 1)[0] + "/1",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def test_with_redis_down_writes_answer_fast_and_everything_is_delivered_after(
    sink, live_broker, workers, redis_servers, monkeypatch
):
    sink.secret = SECRET
    domain = factories.DomainFactory(slug="payments", webhook_url=sink.url, webhook_secret=SECRET)
    domain.leads.add(factories.UserFactory(username="lead"))
    pm = factories.UserFactory(username="pm")
    cycle = factories.CycleFactory()
    redis = redis_servers()
    live_broker(redis.url)
    monkeypatch.setattr(APIView, "throttle_classes", [AnonRateThrottle, UserRateThrottle])
    api = APIClient()
    api.force_authenticate(pm)
    page = Client()
    page.force_login(pm)
    redis.kill()

    durations, codes = [], []
    with override_settings(CACHES=_cache_on(redis.url)):
        for i in range(WRITES):
            started = time.monotonic()
            response = api.post(
                "/api/v1/requests/",
                {
                    "title": f"API {i}",
                    "business_need": "Ranking",
                    "target_domain": "payments",
                    "needed_by_cycle": cycle.slug,
                    "submit": True,
                },
                format="json",
            )
            durations.append(time.monotonic() - started)
            codes.append(response.status_code)
            started = time.monotonic()
            response = page.post(
                "/requests/new/",
                {
                    "title": f"Page {i}",
                    "business_need": "Staffing",
                    "target_domain": "payments",
                    "needed_by_cycle": cycle.slug,
                    "urgency": "high",
                    "intent": "submit",
                },
            )
            durations.append(time.monotonic() - started)
            codes.append(response.status_code)
        assert api.get("/api/v1/requests/").status_code == 200  # reads too

    assert codes == [201, 302] * WRITES
    assert _p95(durations) < P95_SECONDS, durations
    webhooks = Notification.objects.filter(channel="webhook")
    assert webhooks.count() == 2 * WRITES
    assert set(webhooks.values_list("status", flat=True)) == {"pending"}  # left to the sweep

    redis_servers(redis)  # Redis comes back (empty) on the same port
    live_broker(redis.url)
    workers(redis.url)
    outbox.sweep(now=timezone.now() + LATER)
    wait_until(
        lambda: set(webhooks.values_list("status", flat=True)) == {"sent"}, 60, what="the sweep"
    )
    assert set(sink.keys()) == set(webhooks.values_list("dedupe_key", flat=True))
    assert max(sink.attempts.values()) == 1  # no duplicate per key: nothing was sent twice
