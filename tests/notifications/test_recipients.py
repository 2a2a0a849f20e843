"""Who hears about what (DESIGN's table), never the person who acted."""

import pytest
from django.core import mail

from notifications.models import Notification
from requests_app import services
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
        services.request_accept(data_request=filed, actor=lead, planned_cycle=cycle, effort=3)
    assert _to("accepted") == ["pm", "watcher"]
    assert "accepted for" in Notification.objects.filter(kind="accepted").first().message


def _deliver(request, lead, cycle):
    services.request_accept(data_request=request, actor=lead, planned_cycle=cycle, effort=1)
    services.request_start(data_request=request, actor=lead)
    product = factories.DataProductFactory(domain=request.target_domain, name="Clicks")
    return services.request_deliver(data_request=request, actor=lead, delivered_product=product)


DECIDE = {
    "triaged": lambda r, lead, cycle: services.request_triage(data_request=r, actor=lead),
    "accepted": lambda r, lead, cycle: services.request_accept(
        data_request=r, actor=lead, planned_cycle=cycle, effort=3
    ),
    "declined": lambda r, lead, cycle: services.request_decline(
        data_request=r, actor=lead, reason="Out of scope"
    ),
    "deferred": lambda r, lead, cycle: services.request_defer(
        data_request=r, actor=lead, reason="After the migration"
    ),
    "duplicate": lambda r, lead, cycle: services.request_mark_duplicate(
        data_request=r,
        actor=lead,
        duplicate_of=factories.DataRequestFactory(target_domain=r.target_domain, title="Older"),
    ),
    "delivered": _deliver,
}
WORDS = {
    "triaged": "was triaged by Payments",
    "accepted": "was accepted for",
    "declined": "was declined: Out of scope",
    "deferred": "was deferred: After the migration",
    "duplicate": "was marked a duplicate of",
    "delivered": "was delivered as Clicks",
}


@pytest.mark.parametrize("kind", DECIDE)
def test_every_decision_kind_reaches_the_requester_and_watchers_not_the_lead(
    filed, lead, cycle, kind
):
    filed.watchers.add(factories.UserFactory(username="watcher"), lead)
    DECIDE[kind](filed, lead, cycle)
    assert _to(kind) == ["pm", "watcher"]
    assert _to(kind, "email") == ["pm", "watcher"]  # decisions: email at once
    assert set(
        Notification.objects.filter(kind=kind, channel="email").values_list("digest", flat=True)
    ) == {""}
    message = Notification.objects.filter(kind=kind, channel="in_app").first().message
    assert WORDS[kind] in message


def test_a_comment_mentions_get_a_mention_and_the_others_a_comment(filed, lead, member):
    services.comment_create(
        data_request=filed, author=lead, body="@member can you check? cc @nobody"
    )
    assert _to("mention") == ["member"]
    assert _to("comment") == ["pm"]  # the requester (lead is the author: not notified)


def test_the_actor_never_hears_about_their_own_action(filed, requester):
    services.comment_create(data_request=filed, author=requester, body="Any news?")
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


def _snapshot(cycle):
    from review.models import ReviewSnapshot

    return ReviewSnapshot.objects.create(cycle=cycle, status="done")


def test_review_ready_reaches_the_cycles_producing_leads_and_requesters(
    filed, lead, requester, cycle, other_lead, django_capture_on_commit_callbacks
):
    from notifications import services as outbox

    drafter = factories.UserFactory(username="drafter")  # a draft is not filed
    factories.DataRequestFactory(requester=drafter, needed_by_cycle=cycle, status="draft")
    gone = factories.UserFactory(username="gone", is_active=False)
    factories.DataRequestFactory(
        requester=gone, needed_by_cycle=cycle, status="submitted", submitted_at=filed.submitted_at
    )
    elsewhere = factories.CycleFactory()  # other_lead's domain only has work elsewhere
    factories.DataRequestFactory(
        requester=requester,
        target_domain=other_lead.led_domains.get(),
        needed_by_cycle=elsewhere,
        status="submitted",
        submitted_at=filed.submitted_at,
    )
    snapshot = _snapshot(cycle)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.notify_review_ready(snapshot=snapshot) == 4  # 2 people x in-app, email
    assert _to("review_ready") == ["lead", "pm"]
    assert _to("review_ready", "email") == ["lead", "pm"]
    row = Notification.objects.get(kind="review_ready", channel="in_app", recipient=lead)
    assert (row.cycle, row.request, row.payload["path"]) == (
        cycle,
        None,
        f"/cycles/{cycle.slug}/review/",
    )
    assert row.message == f"The {cycle.name} quarterly review is ready."
    assert len(mail.outbox) == 2  # email at once (the review precedes its meeting)
    assert outbox.notify_review_ready(snapshot=snapshot) == 0  # once per snapshot
