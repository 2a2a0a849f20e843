"""Preferences: defaults, opting out, digests; the page and `me/preferences/`."""

import pytest
from django.core import mail

from notifications import preferences
from notifications import services as outbox
from notifications.models import Notification, NotificationPreference
from requests_app import services

pytestmark = pytest.mark.django_db


def test_defaults_email_decisions_at_once_and_new_requests_in_the_daily_digest(filed, lead, cycle):
    submitted_email = Notification.objects.get(kind="submitted", channel="email")
    assert (submitted_email.digest, submitted_email.status) == ("daily", "pending")
    services.request_accept(data_request=filed, actor=lead, planned_cycle=cycle, effort=1)
    assert Notification.objects.get(kind="accepted", channel="email").digest == ""


# The issue: email at once for decisions and mentions, a digest for the rest. Reminders chase a
# date and the review precedes its meeting, so they go at once too (see IMMEDIATE_EMAIL).
DEFAULT_EMAIL = {
    **dict.fromkeys(["triaged", "accepted", "declined", "deferred", "duplicate"], "immediate"),
    **dict.fromkeys(["delivered", "mention"], "immediate"),
    **dict.fromkeys(["triage_overdue", "deadline_approaching", "review_ready"], "immediate"),
    **dict.fromkeys(["work_item_done", "subscription_paused"], "immediate"),
    # The weekly planning digest is a digest itself: sent as it is, once a week.
    "planning_digest": "immediate",
    **dict.fromkeys(["submitted", "comment"], "daily"),
    # Demand: an endorsement is news for the digest; asks that wait on an answer go at once.
    "endorsed": "daily",
    **dict.fromkeys(["product_may_answer", "consumer_requested", "consumer_decided"], "immediate"),
}


def test_every_kind_has_a_stated_default():
    assert set(DEFAULT_EMAIL) == set(preferences.KINDS)


@pytest.mark.parametrize(("kind", "email"), DEFAULT_EMAIL.items())
def test_default_timing_in_app_always_email_by_kind(kind, email):
    assert preferences.default(kind, "email") == preferences.Choice(True, email)
    assert preferences.default(kind, "in_app") == preferences.Choice(True, "immediate")


def test_turning_email_off_means_no_email_row(requester, lead, cycle):
    NotificationPreference.objects.create(
        user=requester, kind="declined", channel="email", enabled=False
    )
    request = services.request_create(
        actor=requester, submit=True, title="T", business_need="B",
        target_domain=lead.led_domains.get(), needed_by_cycle=cycle,
    )  # fmt: skip
    services.request_decline(data_request=request, actor=lead, reason="No")
    assert list(Notification.objects.filter(kind="declined").values_list("channel", flat=True)) == [
        "in_app"
    ]


def test_the_daily_digest_sends_one_email_per_user_and_marks_rows_sent(filed, requester, lead):
    filed.watchers.add(lead)
    services.comment_create(data_request=filed, author=requester, body="More context here")
    assert (
        Notification.objects.filter(recipient=lead, digest="daily", status="pending").count() == 2
    )
    assert outbox.send_email_digests("daily") == 1
    [message] = mail.outbox
    assert message.to == ["lead@example.com"]
    assert "daily digest: 2 updates" in message.subject
    assert "commented on" in message.body
    assert not Notification.objects.filter(digest="daily", status="pending").exists()
    assert outbox.send_email_digests("daily") == 0  # nothing twice


def test_api_lists_every_kind_and_channel_with_the_effective_choice(api_as, requester):
    body = api_as(requester).get("/api/v1/me/preferences/").json()
    mention = next(p for p in body if p["kind"] == "mention" and p["channel"] == "email")
    assert (mention["enabled"], mention["digest"]) == (True, "immediate")
    assert len(body) == len(Notification.Kind) * 2


def test_api_saves_a_choice(api_as, requester):
    response = api_as(requester).put(
        "/api/v1/me/preferences/",
        [{"kind": "comment", "channel": "email", "enabled": True, "digest": "weekly"}],
        format="json",
    )
    assert response.status_code == 200
    pref = NotificationPreference.objects.get(user=requester, kind="comment", channel="email")
    assert pref.digest == "weekly"


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"kind": "gossip", "channel": "email", "enabled": True}, "valid"),
        ({"kind": "comment", "channel": "pigeon", "enabled": True}, "valid"),
        ({"kind": "comment", "channel": "in_app", "enabled": True, "digest": "daily"}, "immediate"),
    ],
)
def test_api_refuses_unknown_choices_with_a_clear_message(api_as, requester, item, message):
    response = api_as(requester).put("/api/v1/me/preferences/", [item], format="json")
    assert response.status_code == 400
    assert message in str(response.json())


def test_preferences_page_saves_the_form(client, requester):
    client.force_login(requester)
    assert client.get("/me/preferences/").status_code == 200
    response = client.post("/me/preferences/", {"mention:in_app": "on", "mention:digest": "weekly"})
    assert response.status_code == 302
    email = NotificationPreference.objects.get(user=requester, kind="mention", channel="email")
    assert email.enabled is False  # unchecked box


def test_the_weekly_planning_digest_offers_no_daily_timing(requester):
    from django.core.exceptions import ValidationError

    from notifications import preferences

    with pytest.raises(ValidationError, match="weekly on its own schedule"):
        preferences.preferences_update(
            user=requester,
            changes=[{"kind": "planning_digest", "channel": "email", "digest": "daily"}],
        )
