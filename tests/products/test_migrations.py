"""Data migrations do what they say on data that existed before them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)


def test_domains_with_a_webhook_and_no_secret_get_one():
    executor = MigrationExecutor(connection)
    before, after = [("products", "0001_initial")], [("products", "0002_backfill_webhook_secrets")]
    executor.migrate(before)
    Domain = executor.loader.project_state(before).apps.get_model("products", "Domain")
    hooked = Domain.objects.create(name="Ads", slug="ads", webhook_url="https://hooks.example/a")
    quiet = Domain.objects.create(name="Jobs", slug="jobs")
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    hooked.refresh_from_db()
    quiet.refresh_from_db()
    try:
        assert len(hooked.webhook_secret) >= 40
        assert quiet.webhook_secret == ""
    finally:  # back to the latest schema: later migrations (of any app) were unapplied above
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
