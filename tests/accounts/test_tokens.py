"""API tokens: named, several per person, shown once, stored hashed, expiring, read-only or not,
revocable by their owner (and by staff), never by anyone else."""

import datetime as dt
import hashlib
import re

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import tokens
from core.errors import NotPermitted
from tests import factories


@pytest.fixture
def user(db):
    return factories.UserFactory(username="tokenuser")


def _api(key, method="get", path="/api/v1/domains/", **data):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return getattr(client, method)(path, data or None, format="json")


def _create(client, **fields):
    data = {"name": "ci script", "ttl_days": 90, **fields}
    response = client.post("/accounts/profile/token/create/", data)
    match = re.search(rb'id="api-token">([^<]+)<', response.content)
    return response, (match[1].decode() if match else None)


def test_profile_page_offers_to_create_a_token(client, user):
    client.force_login(user)
    response = client.get("/accounts/profile/")
    assert response.status_code == 200
    assert b"Create a token" in response.content


def test_a_created_token_is_shown_once_and_stored_only_as_its_hash(client, user):
    client.force_login(user)
    response, key = _create(client)
    assert response.status_code == 200
    assert key
    stored = ApiToken.objects.get(user=user)
    assert stored.digest == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(ApiToken.objects.values().get())  # no column holds the key
    page = client.get("/accounts/profile/").content.decode()
    assert key not in page
    assert "ci script" in page
    assert stored.prefix in page
    assert _api(key).status_code == 200


def test_a_person_may_hold_several_named_tokens_and_revoke_one(client, user):
    client.force_login(user)
    _, first = _create(client, name="laptop")
    _, second = _create(client, name="airflow")
    laptop = ApiToken.objects.get(name="laptop")
    client.post(f"/accounts/profile/token/{laptop.pk}/revoke/")
    assert _api(first).status_code == 401
    assert _api(second).status_code == 200


def test_a_token_needs_a_name(client, user):
    client.force_login(user)
    response, key = _create(client, name="  ")
    assert response.status_code == 400
    assert key is None
    assert not ApiToken.objects.exists()


def test_tokens_expire_after_the_configured_days(client, user, settings):
    settings.API_TOKEN_TTL_DAYS = 90
    _, key = tokens.api_token_create(actor=user, name="default ttl")
    token = ApiToken.objects.get()
    assert token.expires_at.date() == (timezone.now() + dt.timedelta(days=90)).date()
    with time_machine.travel(timezone.now() + dt.timedelta(days=91)):
        assert _api(key).status_code == 401


def test_a_read_only_token_reads_but_gets_403_on_any_write(user):
    _, key = tokens.api_token_create(actor=user, name="dashboards", read_only=True)
    assert _api(key).status_code == 200
    response = _api(key, "post", "/api/v1/domains/", name="X", slug="x")
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]


def test_last_use_is_recorded_and_shown(client, user):
    _, key = tokens.api_token_create(actor=user, name="cron")
    _api(key)
    assert ApiToken.objects.get().last_used_at is not None
    client.force_login(user)
    assert b"never" not in client.get("/accounts/profile/").content


def test_a_deactivated_persons_token_stops_working_at_once(user):
    _, key = tokens.api_token_create(actor=user, name="cron")
    user.is_active = False
    user.save()
    assert _api(key).status_code == 401


# --- who may revoke what --------------------------------------------------------------------


def test_someone_else_cannot_revoke_my_token_from_the_page(client, user):
    token, key = tokens.api_token_create(actor=user, name="mine")
    client.force_login(factories.UserFactory(username="intruder"))
    assert client.post(f"/accounts/profile/token/{token.pk}/revoke/").status_code == 404
    assert _api(key).status_code == 200


def test_someone_else_cannot_revoke_my_token_through_the_service(user):
    token, _ = tokens.api_token_create(actor=user, name="mine")
    with pytest.raises(NotPermitted):
        tokens.api_token_revoke(actor=factories.UserFactory(username="intruder"), token=token)


def test_staff_may_revoke_anyones_token(user):
    token, key = tokens.api_token_create(actor=user, name="mine")
    staff = factories.UserFactory(username="boss", is_staff=True)
    assert tokens.api_token_revoke(actor=staff, token=token) is True
    assert _api(key).status_code == 401


def test_staff_revoke_tokens_in_the_admin(client, user):
    token, key = tokens.api_token_create(actor=user, name="mine")
    client.force_login(factories.UserFactory(username="root", is_staff=True, is_superuser=True))
    response = client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert _api(key).status_code == 401


def test_the_profile_lists_only_my_own_tokens(client, user):
    tokens.api_token_create(actor=factories.UserFactory(username="other"), name="not yours")
    client.force_login(user)
    assert b"not yours" not in client.get("/accounts/profile/").content


def test_anonymous_users_are_sent_to_sign_in(client, db):
    assert client.get("/accounts/profile/").status_code == 302
    assert client.post("/accounts/profile/token/create/", {"name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()


# --- the token endpoint ---------------------------------------------------------------------


def test_token_endpoint_exchanges_username_and_password_for_a_working_token(user):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "tokenuser", "password": "pw-upstream-1"}, format="json"
    )
    assert response.status_code == 200
    key = response.json()["token"]
    assert ApiToken.objects.get(user=user).digest == hashlib.sha256(key.encode()).hexdigest()
    assert _api(key).status_code == 200


def test_token_endpoint_rejects_a_wrong_password_with_a_clear_message(user):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "tokenuser", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert "credentials" in response.json()["detail"].lower()


def test_the_profile_page_query_count_does_not_grow_with_tokens(
    client, user, django_assert_max_num_queries
):
    client.force_login(user)
    tokens.api_token_create(actor=user, name="one")
    with django_assert_max_num_queries(20) as few:
        response = client.get("/accounts/profile/")
    assert response.status_code == 200
    for i in range(10):
        tokens.api_token_create(actor=user, name=f"more {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/accounts/profile/").status_code == 200


def test_staff_deactivate_a_person_in_the_admin_and_their_tokens_stop(client, user):
    _, key = tokens.api_token_create(actor=user, name="cron")
    client.force_login(factories.UserFactory(username="root", is_staff=True, is_superuser=True))
    client.post(
        "/admin/auth/user/", {"action": "deactivate", "_selected_action": [user.pk]}, follow=True
    )
    user.refresh_from_db()
    assert not user.is_active
    assert ApiToken.objects.get().revoked_at is not None
    assert _api(key).status_code == 401


def test_the_token_lookup_brings_its_owners_domains_along(user, django_assert_num_queries):
    """On PostgreSQL the caller's domains, which most endpoints check, come with the token (no
    query of their own); elsewhere they are read when first asked for. Either way they are right."""
    from django.db import connection

    from products import access

    led, joined, other = (
        factories.DomainFactory(),
        factories.DomainFactory(),
        factories.DomainFactory(),
    )
    led.leads.add(user)
    joined.members.add(user)
    key = tokens.api_token_create(actor=user, name="ci")[1]
    token = tokens.api_token_authenticate(key=key)
    with django_assert_num_queries(0 if connection.vendor == "postgresql" else 1):
        assert access.domain_ids(token.user) == ({led.pk}, {led.pk, joined.pk})
    assert other.pk not in access.domain_ids(token.user)[1]
