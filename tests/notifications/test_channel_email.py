"""The email channel: plain text and HTML, a link back, no address means failed for good."""

import pytest
from django.core import mail

from requests_app.models import Notification
from requests_app.notifications import services as outbox

pytestmark = pytest.mark.django_db


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
