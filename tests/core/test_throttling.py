"""The token endpoint throttles password attempts on the address and on the account, whatever
credentials the caller also sends."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from tests import factories

pytestmark = pytest.mark.django_db


def _attempt(client, username="victim", **headers) -> int:
    return client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": "wrong"},
        format="json",
        **headers,
    ).status_code


def test_a_caller_with_a_valid_token_is_still_throttled_per_address(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min"})
    factories.UserFactory(username="victim")
    attacker = factories.UserFactory(username="attacker")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=attacker).key}")
    assert [_attempt(client) for _ in range(4)] == [400, 400, 400, 429]


def test_one_account_is_throttled_from_many_addresses(monkeypatch, settings):
    rates = {"anon": "1000/min", "sign_in_account": "3/min"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", rates)
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    factories.UserFactory(username="victim")
    client = APIClient()
    codes = [_attempt(client, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}") for i in range(4)]
    assert codes == [400, 400, 400, 429]
    # Another account from the same addresses is not held back by the first one's count.
    assert _attempt(client, "someone-else", HTTP_X_FORWARDED_FOR="203.0.113.9") == 400
