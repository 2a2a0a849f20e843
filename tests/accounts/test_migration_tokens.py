"""The data migration hashes DRF's clear-text tokens into ApiToken: the same keys keep working."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from rest_framework.test import APIClient


@pytest.mark.django_db(transaction=True)
def test_existing_drf_tokens_keep_working_and_are_no_longer_stored_in_clear():
    executor = MigrationExecutor(connection)
    before = [("accounts", "0001_initial"), ("authtoken", "0004_alter_tokenproxy_options")]
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    User = old_apps.get_model("auth", "User")
    Token = old_apps.get_model("authtoken", "Token")
    user = User.objects.create(username="legacy", is_active=True)
    key = "0123456789abcdef0123456789abcdef01234567"
    Token.objects.create(key=key, user=user)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
    from accounts.models import ApiToken

    token = ApiToken.objects.get(user_id=user.pk)
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/domains/").status_code == 200
