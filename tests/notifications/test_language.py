"""Each recipient reads notifications and emails in their own language (their profile's choice)."""

from __future__ import annotations

from email.header import decode_header, make_header

import pytest
from django.core import mail

from accounts.services.language import profile_set_language
from notifications import services as services_outbox
from notifications.models import Notification
from notifications.preferences import preferences_update
from requests_app import services
from tests import factories
from tests.requests_app.conftest import make_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(django_capture_on_commit_callbacks, requester, lead, target_domain):
    """Two leads of the target domain, one reading French; the requester submits a request."""
    english_lead = factories.UserFactory(username="lead-en", email="lead-en@example.com")
    target_domain.leads.add(english_lead)
    profile_set_language(actor=lead, language="fr")
    for user in (lead, english_lead):  # new requests by email at once (the default is a digest)
        preferences_update(
            user=user,
            changes=[
                {"kind": "submitted", "channel": "email", "enabled": True, "digest": "immediate"}
            ],
        )
    cycle = make_cycle("2031-Q3", deadline_in_days=20)
    with django_capture_on_commit_callbacks(execute=True):
        filed = services.request_create(
            actor=requester,
            submit=True,
            title="Clicks per listing",
            business_need="Ranking",
            target_domain=target_domain,
            needed_by_cycle=cycle,
        )
    return filed, english_lead


def test_a_french_reading_lead_gets_the_new_request_email_in_french(submitted, lead):
    filed, _english_lead = submitted
    [email] = [m for m in mail.outbox if m.to == [lead.email]]
    assert email.subject.startswith(f"[Upstream] Nouvelle demande pour {filed.target_domain.name}")
    assert "Bonjour" in email.body
    assert "L’ouvrir dans Upstream" in email.body
    html, _mime = email.alternatives[0]
    assert '<html lang="fr">' in html
    assert "Choisir comment Upstream vous prévient" in html


def test_the_other_lead_reads_the_same_event_in_english(submitted):
    filed, english_lead = submitted
    [email] = [m for m in mail.outbox if m.to == [english_lead.email]]
    assert email.subject.startswith(f"[Upstream] New request for {filed.target_domain.name}")
    assert "Open it in Upstream" in email.body


def test_the_in_app_notification_is_stored_in_the_recipients_language(submitted, lead):
    filed, english_lead = submitted
    french = Notification.objects.get(recipient=lead, channel="in_app")
    english = Notification.objects.get(recipient=english_lead, channel="in_app")
    assert french.message.startswith("Nouvelle demande pour")
    assert f"« {filed.title} »" in french.message
    assert english.message.startswith("New request for")


def test_a_french_reader_gets_the_daily_digest_in_french(smtp_sink):
    reader = factories.UserFactory(username="lectrice")
    profile_set_language(actor=reader, language="fr")
    for n in (1, 2):
        Notification.objects.create(
            recipient=reader,
            kind="comment",
            channel="email",
            message=f"Commentaire {n}",
            payload={"path": f"/requests/{n}/"},
            dedupe_key=f"digest-fr:{n}",
            digest="daily",
        )
    assert services_outbox.send_email_digests("daily") == 1
    [sent] = smtp_sink.messages
    message = sent["message"]
    subject = str(make_header(decode_header(message["Subject"])))
    assert " ".join(subject.split()) == "[Upstream] Votre synthèse quotidienne : 2 nouveautés"
    [text] = [p for p in message.walk() if p.get_content_type() == "text/plain"]
    assert "Votre synthèse quotidienne Upstream :" in text.get_payload(decode=True).decode()
