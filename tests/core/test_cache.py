"""A dead Redis degrades the API and the pages (cache misses, throttling open), never a 500."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from tests import factories
from tests.integration.conftest import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead_redis_cache(monkeypatch):
    """Django's cache on a Redis that is not there (a closed port), throttling on."""
    monkeypatch.setattr(APIView, "throttle_classes", [AnonRateThrottle, UserRateThrottle])
    location = f"redis://127.0.0.1:{free_port()}/0"
    with override_settings(
        CACHES={
            "default": {
                "BACKEND": "core.cache.DegradingRedisCache",
                "LOCATION": location,
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }
    ):
        yield


def test_the_api_answers_reads_and_writes_while_redis_is_down(
    dead_redis_cache, api_as, requester, target_domain, caplog
):
    cycle = factories.CycleFactory()
    client = api_as(requester)
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        assert client.get("/api/v1/requests/").status_code == 200
        response = client.post(
            "/api/v1/requests/",
            {"title": "Clicks", "target_domain": "payments", "needed_by_cycle": cycle.slug},
            format="json",
        )
        assert response.status_code == 201, response.content
        assert client.get(f"/api/v1/cycles/{cycle.slug}/review/").status_code == 200
    assert "Cache unavailable" in caplog.text  # the outage is logged, not hidden


def test_the_anonymous_token_endpoint_fails_open_while_redis_is_down(dead_redis_cache, api):
    factories.UserFactory(username="victim")
    response = api.post(
        "/api/v1/auth/token/", {"username": "victim", "password": "pw-upstream-1"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["token"]


def test_a_signed_in_page_survives_redis_down(dead_redis_cache, client, requester):
    client.force_login(requester)
    assert client.get("/requests/").status_code == 200
    assert cache.get("anything", "miss") == "miss"


def test_sessions_live_in_the_database(settings):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_the_sign_in_lockout_keeps_working_while_redis_is_down(dead_redis_cache, client):
    factories.UserFactory(username="victim")
    for _ in range(3):
        client.post("/accounts/login/", {"username": "victim", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "victim", "password": "pw-upstream-1"})
    assert response.status_code == 429


def test_the_redis_cache_reuses_one_client_per_connection_pool():
    from core.cache import ReusedClients

    clients = ReusedClients(["redis://127.0.0.1:6399/0"])
    assert clients.get_client("a") is clients.get_client("b")
    assert clients.get_client("a", write=True) is clients.get_client("a")  # one server: one pool
