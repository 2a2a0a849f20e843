"""Subscriptions deliver through the outbox to real loopback receivers: each format's shape,
the signature (with its timestamp), once per idempotency key, faults kept apart, pausing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
from django.utils import timezone

from notifications import services as outbox
from notifications.models import Notification, Subscription
from notifications.subscriptions import delivery
from notifications.subscriptions import services as subs
from requests_app import services
from tests import factories
from tests.notifications.receivers import SignedReceiver

pytestmark = pytest.mark.django_db
SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs/webhooks/envelope.schema.json").read_text()
)
DECISIONS = ["triaged", "accepted", "declined", "deferred", "duplicate", "delivered"]


@pytest.fixture
def receivers():
    made = []

    def make():
        receiver = SignedReceiver()
        made.append(receiver)
        return receiver

    yield make
    for receiver in made:
        receiver.close()


def subscribe(actor, receiver, fmt, events, domain):
    subscription, secret = subs.subscription_create(
        actor=actor, url=receiver.url, format=fmt, events=events, domain=domain
    )
    receiver.secret = secret
    return subscription


def test_a_decision_reaches_a_teams_and_a_json_subscription_signed_and_once(
    filed, lead, cycle, target_domain, receivers, django_capture_on_commit_callbacks
):
    teams, everything = receivers(), receivers()
    subscribe(lead, teams, "teams", DECISIONS, target_domain)
    subscribe(lead, everything, "json", list(Subscription.Event.values), target_domain)

    with django_capture_on_commit_callbacks(execute=True):
        services.request_accept(data_request=filed, actor=lead, planned_cycle=cycle, effort=3)

    # Each receiver checked the signature (a bad one is answered 401 and not kept).
    assert len(teams.received) == len(everything.received) == 1
    card = teams.json()
    attachment = card["attachments"][0]
    assert card["type"] == "message"
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert attachment["content"]["type"] == "AdaptiveCard"
    assert attachment["content"]["actions"][0]["url"].endswith(f"/requests/{filed.pk}/")
    envelope = everything.json()
    jsonschema.validate(envelope, SCHEMA)
    assert envelope["type"] == "accepted"
    assert envelope["data"]["request"]["status"] == "accepted"
    assert envelope["data"]["request"]["planned_cycle"] == cycle.slug
    assert everything.received[0]["headers"]["X-Upstream-Event"] == "accepted"

    # The sweep, run again, sends nothing twice.
    outbox.sweep(now=timezone.now() + dt.timedelta(hours=1))
    assert sum(teams.keys().values()) == sum(everything.keys().values()) == 1


def test_a_subscription_hears_only_its_kinds_and_its_domain(
    requester,
    lead,
    target_domain,
    requesting_domain,
    cycle,
    receivers,
    staff,
    django_capture_on_commit_callbacks,
):
    decisions, other_domain = receivers(), receivers()
    subscribe(lead, decisions, "json", DECISIONS, target_domain)
    subscribe(staff, other_domain, "json", ["submitted"], requesting_domain)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_create(
            actor=requester,
            submit=True,
            title="Clicks",
            business_need="Rank",
            target_domain=target_domain,
            needed_by_cycle=cycle,
        )
    assert decisions.received == []
    assert other_domain.received == []


def test_the_slack_body_is_block_kit_and_user_text_cannot_form_links_or_mentions(
    requester, lead, target_domain, cycle, receivers, django_capture_on_commit_callbacks
):
    slack = receivers()
    subscribe(lead, slack, "slack", ["submitted"], target_domain)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_create(
            actor=requester,
            submit=True,
            title="<!channel> <https://evil.example|click> & more",
            business_need="Rank",
            target_domain=target_domain,
            needed_by_cycle=cycle,
        )
    body = slack.json()
    text = json.dumps(body)
    assert "<!channel>" not in text
    assert "<https://evil" not in text
    assert "&lt;!channel&gt;" in body["text"]
    assert body["blocks"][0]["type"] == "section"
    button = next(b for b in body["blocks"] if b["type"] == "actions")["elements"][0]
    assert button["url"].startswith("http://testserver/requests/")


def test_a_hanging_or_failing_receiver_never_blocks_another_and_nothing_is_sent_twice(
    filed, lead, cycle, target_domain, receivers, django_capture_on_commit_callbacks
):
    hanging, failing, healthy = receivers(), receivers(), receivers()
    hanging.hang_first, hanging.hang_seconds = 1, 6.0  # longer than the 5 s timeout
    failing.status = 500
    for receiver in (hanging, failing, healthy):
        subscribe(lead, receiver, "json", DECISIONS, target_domain)

    with django_capture_on_commit_callbacks(execute=True):
        services.request_triage(data_request=filed, actor=lead)

    assert len(healthy.received) == 1
    rows = Notification.objects.filter(subscription__isnull=False).order_by("pk")
    assert [r.status for r in rows] == ["pending", "pending", "sent"]
    assert "Unreachable" in rows[0].last_error
    assert "Answered 500" in rows[1].last_error

    # Retries, once due: the hanging one now answers, the failing one keeps failing.
    Notification.objects.filter(pk__in=[r.pk for r in rows]).update(next_attempt_at=None)
    outbox.deliver([r.pk for r in rows])
    assert len(hanging.received) == 1
    assert failing.received == []
    assert sum(healthy.keys().values()) == 1  # never sent again
    assert healthy.attempts.total() == 1


def test_a_repeated_send_keeps_its_idempotency_key_and_envelope_id(
    filed, lead, target_domain, receivers, django_capture_on_commit_callbacks
):
    receiver = receivers()
    subscribe(lead, receiver, "json", ["triaged"], target_domain)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_triage(data_request=filed, actor=lead)
    row = Notification.objects.get(subscription__isnull=False)
    # A worker killed after the receiver accepted it: the row is pending again.
    Notification.objects.filter(pk=row.pk).update(status="pending", attempts=0)
    outbox.deliver([row.pk])
    assert receiver.attempts == {row.dedupe_key: 2}
    assert (len(receiver.received), receiver.replays) == (1, 1)


def test_a_receiver_that_verifies_with_another_secret_refuses_it_for_good(
    filed, lead, target_domain, receivers, django_capture_on_commit_callbacks
):
    receiver = receivers()
    subscribe(lead, receiver, "json", ["triaged"], target_domain)
    receiver.secret = "whsec_not-the-one"
    with django_capture_on_commit_callbacks(execute=True):
        services.request_triage(data_request=filed, actor=lead)
    row = Notification.objects.get(subscription__isnull=False)
    assert (row.status, row.last_error[:12]) == ("failed", "Answered 401")


def test_a_subscription_failing_for_a_day_is_paused_and_its_leads_are_told(
    lead, target_domain, receivers
):
    receiver = receivers()
    subscription = subscribe(lead, receiver, "json", ["triaged"], target_domain)
    start = timezone.now()
    assert delivery.record_failure(subscription, "Answered 500", now=start) is False
    assert (
        delivery.record_failure(subscription, "Answered 500", now=start + dt.timedelta(hours=23))
        is False
    )
    assert (
        delivery.record_failure(subscription, "Answered 502", now=start + dt.timedelta(days=1))
        is True
    )
    subscription.refresh_from_db()
    assert not subscription.active
    assert "Answered 502" in subscription.paused_reason
    told = Notification.objects.filter(kind="subscription_paused", recipient=lead)
    assert set(told.values_list("channel", flat=True)) == {"in_app", "email"}
    # Failing again tells no one twice.
    delivery.record_failure(subscription, "Answered 502", now=start + dt.timedelta(days=2))
    assert told.count() == 2


def test_a_success_resets_the_failure_clock(lead, target_domain, receivers):
    subscription = subscribe(lead, receivers(), "json", ["triaged"], target_domain)
    delivery.record_failure(
        subscription, "Answered 500", now=timezone.now() - dt.timedelta(hours=20)
    )
    subscription.refresh_from_db()
    delivery.record_success(subscription)
    subscription.refresh_from_db()
    assert (subscription.failing_since, subscription.last_error) == (None, "")


def test_a_paused_subscription_gets_no_delivery(
    filed, lead, target_domain, receivers, django_capture_on_commit_callbacks
):
    receiver = receivers()
    subscription = subscribe(lead, receiver, "json", ["triaged", "accepted"], target_domain)
    subs.subscription_update(subscription=subscription, actor=lead, active=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_triage(data_request=filed, actor=lead)
    assert receiver.received == []
    assert not Notification.objects.filter(subscription=subscription).exists()


def test_the_test_event_answers_what_the_receiver_said(lead, target_domain, receivers):
    receiver = receivers()
    subscription = subscribe(lead, receiver, "teams", ["triaged"], target_domain)
    result = subs.subscription_send_test(subscription=subscription, actor=lead)
    assert (result.ok, result.status, result.body) == (True, 200, "ok")
    receiver.secret = "whsec_other"
    result = subs.subscription_send_test(subscription=subscription, actor=lead)
    assert (result.ok, result.status) == (False, 401)


def test_the_test_event_reports_an_unreachable_receiver(lead, target_domain, receivers):
    receiver = receivers()
    subscription = subscribe(lead, receiver, "json", ["triaged"], target_domain)
    receiver.close()
    result = subs.subscription_send_test(subscription=subscription, actor=lead)
    assert (result.ok, result.status) == (False, None)
    assert "ConnectionError" in result.error


def test_the_teams_card_never_lets_user_text_form_a_link(
    requester, lead, target_domain, cycle, receivers, django_capture_on_commit_callbacks
):
    teams = receivers()
    subscribe(lead, teams, "teams", ["submitted"], target_domain)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_create(
            actor=requester,
            submit=True,
            title="[Reset your password](https://evil.example)",
            business_need="Rank",
            target_domain=target_domain,
            needed_by_cycle=cycle,
        )
    card = teams.json()["attachments"][0]["content"]
    text = card["body"][0]["text"]
    assert "](https://evil" not in text
    assert "Reset your password" in text
    assert [a["url"] for a in card["actions"]] == [
        f"http://testserver/requests/{requester.data_requests.get().pk}/"
    ]


def test_an_endorsement_reaches_a_subscription_to_endorsed(
    filed, lead, target_domain, receivers, django_capture_on_commit_callbacks
):
    receiver = receivers()
    subscribe(lead, receiver, "json", ["endorsed"], target_domain)
    other_team = factories.DomainFactory(slug="ads", name="Ads")
    pm = factories.UserFactory(username="ads-pm")
    other_team.members.add(pm)

    with django_capture_on_commit_callbacks(execute=True):
        services.endorsement_create(data_request=filed, actor=pm, business_need="Billing too")

    envelope = receiver.json()
    jsonschema.validate(envelope, SCHEMA)
    assert envelope["type"] == "endorsed"
    assert envelope["data"]["request"]["demand"] == 2


def test_the_page_answers_the_test_event_in_place_or_as_a_message(
    client, lead, target_domain, receivers
):
    """With htmx the answer is a fragment for the row; a plain form post (the page's scripts not
    yet loaded, or none) sends the same event and shows the answer on the page it came from."""
    receiver = receivers()
    subscription = subscribe(lead, receiver, "json", ["triaged"], target_domain)
    client.force_login(lead)
    url = f"/subscriptions/{subscription.pk}/test/"

    fragment = client.post(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "The receiver answered 200" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()

    page = client.post(url, follow=True)
    assert page.redirect_chain == [(f"/domains/{target_domain.slug}/subscriptions/", 302)]
    assert "The receiver answered 200" in page.content.decode()
    assert len(receiver.received) == 2
