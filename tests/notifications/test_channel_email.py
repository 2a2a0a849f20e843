"""The email channel: plain text and HTML, a link back, no address means failed for good."""

import re
import socket

import pytest
from django.core import mail

from notifications import services as outbox
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def free_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _row(user):
    return Notification.objects.create(
        recipient=user,
        kind="delivered",
        channel="email",
        message='DR-3 "Clicks" was delivered.',
        payload={"path": "/requests/3/"},
        dedupe_key=f"mail:{user.pk}",
    )


def test_email_has_text_and_html_with_a_link_back(requester):
    outbox.deliver([_row(requester).pk])
    [message] = mail.outbox
    assert message.to == ["pm@example.com"]
    assert message.subject == '[Upstream] DR-3 "Clicks" was delivered.'
    assert "http://testserver/requests/3/" in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html"
    assert 'href="http://testserver/requests/3/"' in html


def test_the_footer_links_to_the_preferences_page_not_the_request(requester):
    outbox.deliver([_row(requester).pk])
    [message] = mail.outbox
    footer = message.body.strip().splitlines()[-1]
    assert footer == "Change how you hear from Upstream: http://testserver/me/preferences/"
    html, _ = message.alternatives[0]
    assert (
        '<a href="http://testserver/me/preferences/">Change how you hear from Upstream</a>' in html
    )


def test_a_user_without_an_email_address_fails_for_good(requester):
    requester.email = ""
    requester.save()
    row = _row(requester)
    assert outbox.deliver([row.pk]) == {"failed": 1}
    row.refresh_from_db()
    assert "no email address" in row.last_error


def test_a_send_repeated_after_a_crash_carries_the_same_message_id(requester, lead):
    row = _row(requester)
    outbox.deliver([row.pk])
    # A worker killed after the mail server accepted it rolls the row back to pending.
    Notification.objects.filter(pk=row.pk).update(status="pending", attempts=0)
    outbox.deliver([row.pk])
    outbox.deliver([_row(lead).pk])
    first, repeat, other = (m.message()["Message-ID"] for m in mail.outbox)
    assert first == repeat
    assert first != other
    assert re.fullmatch(r"<notification\.[0-9a-f]{40}@testserver>", first)


def test_a_closed_smtp_port_is_retried_with_the_error_kept(requester, settings):
    """The real EmailChannel and SMTP backend, against a port where nothing listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    row = _row(requester)
    assert outbox.deliver([row.pk]) == {"retrying": 1}
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.last_error.startswith("Email not accepted: [Errno 111]")
    assert row.next_attempt_at is not None


def test_a_permanently_refused_address_fails_at_once_with_the_servers_answer(requester, smtp_sink):
    smtp_sink.refuse = {requester.email}
    row = _row(requester)
    assert outbox.deliver([row.pk]) == {"failed": 1}
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 1)
    assert "550" in row.last_error


def test_a_refused_then_accepted_email_is_kept_once_by_the_mail_server(requester, smtp_sink):
    smtp_sink.refuse, smtp_sink.refusal = {requester.email}, "451 Mailbox busy, try later"
    row = _row(requester)
    assert outbox.deliver([row.pk]) == {"retrying": 1}
    smtp_sink.refuse = set()
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=None)
    assert outbox.deliver([row.pk]) == {"sent": 1}
    [kept] = smtp_sink.messages
    assert kept["to"] == [requester.email]
    assert "http://testserver/requests/3/" in kept["message"].get_payload()[0].get_payload()
