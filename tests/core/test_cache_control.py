"""Authenticated API answers are never stored by a cache (issue #18, point 15)."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/me/", "/api/v1/requests/", "/api/v1/no-such-thing/"])
def test_a_token_callers_api_answers_carry_no_store(requester, path):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=requester).key}")
    response = client.get(path)
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_session_callers_api_answers_carry_no_store(client, requester):
    client.force_login(requester)
    response = client.get("/api/v1/domains/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_an_error_to_a_signed_in_caller_carries_no_store_too(client, requester):
    client.force_login(requester)
    response = client.get("/api/v1/requests/999999/")
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]
