"""The webhook channel against a real local HTTP sink: Slack JSON, HMAC signature, failures."""

import hashlib
import hmac
import json

import pytest

from notifications import services as outbox
from notifications.channels.webhook import SIGNATURE_HEADER
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def row(target_domain, sink):
    target_domain.webhook_url = sink.url
    target_domain.webhook_secret = sink.secret = "s3cret"  # the sink checks the signature
    target_domain.save()
    return Notification.objects.create(
        domain=target_domain,
        kind="submitted",
        channel="webhook",
        message="New request for Payments: DR-7",
        payload={"path": "/requests/7/"},
        dedupe_key="hook:1",
    )


def test_the_body_is_slack_compatible_and_signed_with_the_domain_secret(row, sink):
    assert outbox.deliver([row.pk]) == {"sent": 1}
    received = sink.received[0]
    body = json.loads(received["body"])
    assert body["text"].startswith("New request for Payments: DR-7 <http://testserver/requests/7/|")
    assert body["blocks"][0]["type"] == "section"
    expected = hmac.new(b"s3cret", received["body"], hashlib.sha256).hexdigest()
    assert received["headers"][SIGNATURE_HEADER] == f"sha256={expected}"
    assert received["headers"]["Idempotency-Key"] == "hook:1"


def test_a_send_repeated_after_a_crash_is_kept_once_by_its_idempotency_key(row, sink):
    outbox.deliver([row.pk])
    # A worker killed after the receiver accepted it rolls the row back to pending.
    Notification.objects.filter(pk=row.pk).update(status="pending", attempts=0)
    assert outbox.deliver([row.pk]) == {"sent": 1}
    assert sink.attempts == {"hook:1": 2}
    assert (len(sink.received), sink.replays) == (1, 1)


def test_a_receiver_with_another_secret_refuses_it_for_good(row, sink):
    sink.secret = "not-the-domain-secret"
    assert outbox.deliver([row.pk]) == {"failed": 1}
    row.refresh_from_db()
    assert "refused it (401)" in row.last_error


def test_a_5xx_answer_is_retried(row, sink):
    sink.status = 500
    assert outbox.deliver([row.pk]) == {"retrying": 1}
    row.refresh_from_db()
    assert "500" in row.last_error


def test_a_4xx_answer_fails_for_good(row, sink):
    sink.status = 404
    assert outbox.deliver([row.pk]) == {"failed": 1}
    row.refresh_from_db()
    assert "refused" in row.last_error


def test_a_hanging_sink_times_out_and_is_retried(row, sink, monkeypatch):
    from core import outbound

    monkeypatch.setattr(outbound, "READ_TIMEOUT_SECONDS", 0.3)
    sink.delay = 1.0
    assert outbox.deliver([row.pk]) == {"retrying": 1}
    row.refresh_from_db()
    assert "Timeout" in row.last_error


def test_a_webhook_without_a_secret_is_never_sent_unsigned(row, target_domain, sink):
    target_domain.webhook_secret = ""
    target_domain.save()
    assert outbox.deliver([row.pk]) == {"failed": 1}
    row.refresh_from_db()
    assert "no signing secret" in row.last_error
    assert sink.calls == 0


def test_an_unreachable_sink_is_retried(row, target_domain):
    target_domain.webhook_url = "http://127.0.0.1:9/nothing-listens-here"
    target_domain.save()
    assert outbox.deliver([row.pk]) == {"retrying": 1}


def test_user_text_cannot_form_slack_links_or_mentions(row, sink):
    row.message = "New request: <!channel> <https://evil.example|Reset your password> & more"
    row.save()
    assert outbox.deliver([row.pk]) == {"sent": 1}
    body = json.loads(sink.received[0]["body"])
    text = body["blocks"][0]["text"]["text"]
    assert text.startswith(
        "New request: &lt;!channel&gt; &lt;https:\u200b//evil.example|Reset your password&gt; "
        "&amp; more <http://testserver/requests/7/|Open in Upstream>"
    )
    assert body["text"] == text
    # The only markup left is the link Upstream adds itself.
    assert text.count("<") == 1


def test_a_bare_url_in_user_text_is_not_linked(row, sink):
    row.message = "See https://evil.example/login"
    row.save()
    outbox.deliver([row.pk])
    body = json.loads(sink.received[0]["body"])
    assert "https://evil" not in body["text"]
