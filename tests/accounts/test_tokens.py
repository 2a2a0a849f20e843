"""A user creates, replaces and revokes their own API token from the profile page."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories


@pytest.fixture
def user(db):
    return factories.UserFactory(username="tokenuser")


def _api_status(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/v1/domains/").status_code


def test_profile_page_offers_to_create_a_token(client, user):
    client.force_login(user)
    response = client.get("/accounts/profile/")
    assert response.status_code == 200
    assert b"Create a token" in response.content


def test_created_token_authenticates_and_revoked_token_no_longer_does(client, user):
    client.force_login(user)
    client.post("/accounts/profile/token/create/")
    key = Token.objects.get(user=user).key
    assert key.encode() in client.get("/accounts/profile/").content
    assert _api_status(key) == 200
    client.post("/accounts/profile/token/revoke/")
    assert not Token.objects.filter(user=user).exists()
    assert _api_status(key) == 401


def test_replacing_a_token_invalidates_the_old_one(client, user):
    client.force_login(user)
    client.post("/accounts/profile/token/create/")
    old = Token.objects.get(user=user).key
    client.post("/accounts/profile/token/create/")
    new = Token.objects.get(user=user).key
    assert old != new
    assert _api_status(old) == 401


def test_token_endpoint_exchanges_username_and_password_for_the_token(user):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "tokenuser", "password": "pw-upstream-1"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=user).key


def test_token_endpoint_rejects_a_wrong_password_with_a_clear_message(user):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "tokenuser", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert "credentials" in response.json()["detail"].lower()


def test_anonymous_users_are_sent_to_sign_in(client, db):
    assert client.get("/accounts/profile/").status_code == 302
    assert client.post("/accounts/profile/token/create/").status_code == 302
    assert not Token.objects.exists()
