"""Supply finds demand through a real Celery worker on Redis and PostgreSQL: publishing a data
product that matches an open request emails that request's requester (sent by the worker)."""

from __future__ import annotations

import os

import pytest
import redis
from rest_framework.test import APIClient

from notifications.models import Notification
from requests_app.models import DataRequest
from tests import factories
from tests.integration.conftest import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def own_redis_url():
    """The Redis database REDIS_URL names, so parallel runs never flush one another's queues."""
    return os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def test_publishing_a_matching_product_emails_the_requester(
    live_broker, workers, own_redis_url, mail_dir
):
    redis.Redis.from_url(own_redis_url).flushdb()
    live_broker(own_redis_url)
    workers(own_redis_url, EMAIL_URL="filemail://", EMAIL_FILE_PATH=mail_dir)
    payments = factories.DomainFactory(name="Payments", slug="payments")
    pm = factories.UserFactory(username="pm", email="pm@example.com")
    wanted = factories.DataRequestFactory(
        title="Refund events per merchant",
        requester=pm,
        target_domain=payments,
        status=DataRequest.Status.TRIAGED,
    )
    producer = factories.UserFactory(username="producer")
    marketplace = factories.DomainFactory(name="Marketplace", slug="marketplace")
    marketplace.members.add(producer)
    client = APIClient()
    client.force_authenticate(producer)
    response = client.post(
        "/api/v1/data-products/",
        {"domain": "marketplace", "name": "Refund events", "status": "shared"},
        format="json",
    )
    assert response.status_code == 201, response.content
    told = Notification.objects.filter(recipient=pm, kind="product_may_answer", request=wanted)
    assert told.filter(channel="in_app", status="sent").exists()  # written with the product
    wait_until(
        lambda: told.filter(channel="email", status="sent").exists(), what="the worker's email"
    )
    [mail_file] = os.listdir(mail_dir)
    with open(os.path.join(mail_dir, mail_file)) as fh:
        assert "Refund events by Marketplace may answer" in fh.read()
