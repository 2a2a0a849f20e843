"""Email digests: one email per user; one user's problem never holds up the others."""

import pytest

from notifications import services as outbox
from notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db


def _waiting(user, n, mode="daily"):
    return Notification.objects.create(
        recipient=user,
        kind="comment",
        channel="email",
        message=f"Comment {n}",
        payload={"path": f"/requests/{n}/"},
        dedupe_key=f"digest:{user.pk}:{n}",
        digest=mode,
    )


def _state(row):
    row.refresh_from_db()
    return row.status, row.attempts


def test_a_user_without_an_address_has_rows_skipped_and_the_others_get_theirs(smtp_sink):
    nobody = factories.UserFactory(username="nobody", email="")
    someone = factories.UserFactory(username="someone")
    orphan, kept = _waiting(nobody, 1), _waiting(someone, 2)
    assert outbox.send_email_digests("daily") == 1
    assert [m["to"] for m in smtp_sink.messages] == [[someone.email]]
    assert _state(orphan) == ("skipped", 1)
    assert "no email address" in orphan.last_error
    assert _state(kept) == ("sent", 1)
    assert outbox.send_email_digests("daily") == 0  # nothing left pending forever


def test_a_refused_digest_keeps_its_rows_pending_and_later_users_still_get_theirs(smtp_sink):
    first = factories.UserFactory(username="bounces")  # lower pk: handled first
    second = factories.UserFactory(username="reads")
    smtp_sink.refuse = {first.email}
    refused, delivered = _waiting(first, 1), _waiting(second, 2)
    assert outbox.send_email_digests("daily") == 1
    assert [m["to"] for m in smtp_sink.messages] == [[second.email]]
    assert _state(refused) == ("pending", 1)
    assert "550" in refused.last_error
    assert _state(delivered) == ("sent", 1)
    smtp_sink.refuse = set()  # the next digest run tries again
    assert outbox.send_email_digests("daily") == 1
    assert _state(refused) == ("sent", 2)


def test_a_digest_refused_every_time_ends_failed_with_the_error(smtp_sink):
    user = factories.UserFactory(username="bounces")
    smtp_sink.refuse = {user.email}
    row = _waiting(user, 1)
    for _ in range(outbox.MAX_ATTEMPTS):
        outbox.send_email_digests("daily")
    assert _state(row) == ("failed", outbox.MAX_ATTEMPTS)
    assert "550" in row.last_error
    outbox.send_email_digests("daily")
    assert _state(row) == ("failed", outbox.MAX_ATTEMPTS)


def test_the_digest_goes_through_real_smtp_with_both_parts(smtp_sink):
    user = factories.UserFactory(username="reader")
    _waiting(user, 1), _waiting(user, 2)
    assert outbox.send_email_digests("daily") == 1
    [sent] = smtp_sink.messages
    message = sent["message"]
    assert message["Subject"] == "[Upstream] Your daily digest: 2 updates"
    assert [p.get_content_type() for p in message.walk()][1:] == ["text/plain", "text/html"]


def test_a_digest_resent_after_a_crash_has_the_same_message_id_and_is_kept_once(smtp_sink):
    user = factories.UserFactory(username="reader")
    rows = [_waiting(user, 1), _waiting(user, 2)]
    outbox.send_email_digests("daily")
    # A crash after the server accepted it, before the commit, leaves the rows pending.
    Notification.objects.filter(pk__in=[r.pk for r in rows]).update(status="pending")
    assert outbox.send_email_digests("daily") == 1
    assert list(smtp_sink.attempts.values()) == [2]
    assert len(smtp_sink.messages) == 1
    _waiting(user, 3)  # a new row makes a new digest, with a new Message-ID
    outbox.send_email_digests("daily")
    assert list(smtp_sink.attempts.values()) == [2, 1]


def test_a_user_who_chose_weekly_gets_comments_in_the_weekly_digest_only(
    filed, requester, lead, smtp_sink
):
    from notifications.models import NotificationPreference
    from requests_app import services

    NotificationPreference.objects.create(
        user=requester, kind="comment", channel="email", digest="weekly"
    )
    services.comment_create(data_request=filed, author=lead, body="Which fields exactly?")
    services.comment_create(data_request=filed, author=lead, body="And which granularity?")
    weekly = Notification.objects.filter(recipient=requester, kind="comment", channel="email")
    assert list(weekly.values_list("digest", "status")) == [("weekly", "pending")] * 2
    outbox.send_email_digests("daily")  # the lead's daily digest (the new request)
    assert [m["to"] for m in smtp_sink.messages] == [[lead.email]]  # nothing for the PM
    assert outbox.send_email_digests("weekly") == 1
    sent = smtp_sink.messages[-1]
    assert sent["to"] == [requester.email]
    assert sent["message"]["Subject"] == "[Upstream] Your weekly digest: 2 updates"
    assert set(weekly.values_list("status", flat=True)) == {"sent"}
    assert outbox.send_email_digests("weekly") == 0
