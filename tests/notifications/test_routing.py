"""Webhook batches go to a queue of their own, so a hanging receiver never delays email."""

from __future__ import annotations

import pytest

from config.celery import app
from notifications.models import Notification
from notifications.routing import WEBHOOK_QUEUE
from notifications.tasks import deliver_notifications

pytestmark = pytest.mark.django_db


def _row(channel: str, key: str) -> Notification:
    return Notification.objects.create(
        kind="submitted", channel=channel, message="m", payload={}, dedupe_key=key
    )


def _queue_for(ids: list[int]) -> str:
    route = app.amqp.router.route({}, deliver_notifications.name, args=(ids,), kwargs={})
    return route["queue"].name


def test_a_webhook_batch_goes_to_the_webhook_queue():
    assert _queue_for([_row("webhook", "w1").pk, _row("webhook", "w2").pk]) == WEBHOOK_QUEUE


def test_email_and_in_app_batches_stay_on_the_default_queue():
    assert _queue_for([_row("email", "e1").pk]) == "celery"
    assert _queue_for([_row("in_app", "i1").pk]) == "celery"


def test_a_worker_without_q_consumes_both_queues():
    assert {q.name for q in app.conf.task_queues} == {"celery", WEBHOOK_QUEUE}
