"""Who hears about what (DESIGN's table), never the person who acted."""

import pytest
from django.core import mail

from requests_app import services
from requests_app.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db


def _to(kind, channel="in_app"):
    return sorted(
        Notification.objects.filter(kind=kind, channel=channel).values_list(
            "recipient__username", flat=True
        )
    )


def test_a_submitted_request_reaches_the_leads_of_the_target_domain(filed, lead, target_domain):
    second = factories.UserFactory(username="lead2")
    target_domain.leads.add(second)
    assert _to("submitted") == ["lead"]  # lead2 joined after the submission
    assert Notification.objects.get(kind="submitted", channel="in_app").request == filed


def test_decisions_reach_the_requester_and_watchers_but_not_the_lead_who_decided(
    filed, lead, requester, cycle, django_capture_on_commit_callbacks
):
    watcher = factories.UserFactory(username="watcher")
    filed.watchers.add(watcher, lead)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_accept(request=filed, actor=lead, planned_cycle=cycle, effort=3)
    assert _to("accepted") == ["pm", "watcher"]
    assert "accepted for" in Notification.objects.filter(kind="accepted").first().message


def test_every_decision_kind_is_announced(filed, lead, cycle):
    services.request_triage(request=filed, actor=lead)
    assert _to("triaged") == ["pm"]
    services.request_decline(request=filed, actor=lead, reason="Out of scope")
    assert _to("declined") == ["pm"]
    assert "Out of scope" in Notification.objects.get(kind="declined", channel="in_app").message


def test_a_comment_mentions_get_a_mention_and_the_others_a_comment(filed, lead, member):
    services.comment_create(request=filed, author=lead, body="@member can you check? cc @nobody")
    assert _to("mention") == ["member"]
    assert _to("comment") == ["pm"]  # the requester (lead is the author: not notified)


def test_the_actor_never_hears_about_their_own_action(filed, requester):
    services.comment_create(request=filed, author=requester, body="Any news?")
    assert "pm" not in _to("comment")


def test_a_domain_with_a_webhook_gets_a_webhook_row_on_submit(
    requester, lead, target_domain, cycle, sink, django_capture_on_commit_callbacks
):
    target_domain.webhook_url, target_domain.webhook_secret = sink.url, "s3cret"
    target_domain.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_create(
            actor=requester,
            submit=True,
            title="Payouts per seller",
            business_need="Finance report",
            target_domain=target_domain,
            needed_by_cycle=cycle,
        )
    row = Notification.objects.get(channel="webhook")
    assert (row.domain, row.recipient, row.status) == (target_domain, None, "sent")
    assert len(sink.received) == 1
    assert mail.outbox == []  # "submitted" email waits for the daily digest by default
