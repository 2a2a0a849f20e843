"""Subscriptions through the API and the services: who manages which (role × action), the
secret shown once and stored encrypted, clear 400s, the envelope schema, the v1 migration."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from core.errors import NotPermitted
from notifications.models import Notification, Subscription
from notifications.services import remind_deadlines
from notifications.subscriptions import crypto
from notifications.subscriptions import services as subs
from requests_app import services
from tests import factories

pytestmark = pytest.mark.django_db
URL = "https://hooks.example.com/upstream"
BODY = {"url": URL, "format": "json", "events": ["accepted"], "domain": "payments"}
ROLE_NAMES = ["requester", "member", "other_lead", "lead", "staff"]


@pytest.fixture
def roles(requester, member, other_lead, lead, staff):
    return {
        "requester": requester,
        "member": member,
        "other_lead": other_lead,
        "lead": lead,
        "staff": staff,
    }


@pytest.fixture
def existing(lead, target_domain):
    subscription, _secret = subs.subscription_create(
        actor=lead, url=URL, format="slack", events=["submitted"], domain=target_domain
    )
    return subscription


MAY_MANAGE = {"lead", "staff"}


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_only_the_domains_leads_and_staff_subscribe_it(api_as, roles, role):
    response = api_as(roles[role]).post("/api/v1/subscriptions/", BODY, format="json")
    assert response.status_code == (201 if role in MAY_MANAGE else 403)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_only_staff_subscribe_every_domain(api_as, roles, role):
    body = {**BODY, "domain": None}
    response = api_as(roles[role]).post("/api/v1/subscriptions/", body, format="json")
    assert response.status_code == (201 if role == "staff" else 403)


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(
    ("method", "path", "body", "ok"),
    [
        ("get", "", None, 200),
        ("patch", "", {"events": ["accepted", "declined"]}, 200),
        ("post", "test/", None, 200),
        ("delete", "", None, 204),
    ],
)
def test_others_cannot_see_read_change_test_or_delete_a_subscription(
    api_as, roles, role, existing, method, path, body, ok
):
    url = f"/api/v1/subscriptions/{existing.pk}/{path}"
    response = getattr(api_as(roles[role]), method)(url, body, format="json")
    assert response.status_code == (ok if role in MAY_MANAGE else 404)


def test_the_services_refuse_other_roles_themselves(existing, other_lead, member):
    for actor in (other_lead, member):
        with pytest.raises(NotPermitted):
            subs.subscription_update(subscription=existing, actor=actor, events=["accepted"])
        with pytest.raises(NotPermitted):
            subs.subscription_delete(subscription=existing, actor=actor)
        with pytest.raises(NotPermitted):
            subs.subscription_send_test(subscription=existing, actor=actor)


def test_the_secret_is_answered_once_and_stored_only_encrypted(api_as, lead):
    created = api_as(lead).post("/api/v1/subscriptions/", BODY, format="json").json()
    secret = created["secret"]
    assert secret.startswith("whsec_")
    assert len(secret) > 40
    again = api_as(lead).get(f"/api/v1/subscriptions/{created['id']}/").json()
    listed = api_as(lead).get("/api/v1/subscriptions/").json()
    assert "secret" not in again
    assert all("secret" not in s for s in listed)
    stored = Subscription.objects.get(pk=created["id"]).secret_encrypted
    assert secret not in stored
    assert crypto.decrypt(stored) == secret


def test_a_key_change_makes_the_secret_unreadable_not_wrong(existing, settings):
    settings.SUBSCRIPTION_ENCRYPTION_KEY = "another-key"
    with pytest.raises(crypto.SecretUnreadable):
        crypto.decrypt(existing.secret_encrypted)


def test_the_list_shows_what_the_caller_manages(api_as, existing, lead, other_lead, staff):
    assert [s["id"] for s in api_as(lead).get("/api/v1/subscriptions/").json()] == [existing.pk]
    assert api_as(other_lead).get("/api/v1/subscriptions/").json() == []
    assert len(api_as(staff).get("/api/v1/subscriptions/?domain=payments").json()) == 1


def test_the_list_costs_the_same_queries_for_one_or_many(
    api_as, lead, target_domain, django_assert_max_num_queries
):
    client = api_as(lead)
    subs.subscription_create(
        actor=lead, url=URL, format="json", events=["accepted"], domain=target_domain
    )
    with django_assert_max_num_queries(4) as one:
        client.get("/api/v1/subscriptions/")
    for _ in range(5):
        subs.subscription_create(
            actor=lead, url=URL, format="json", events=["accepted"], domain=target_domain
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(client.get("/api/v1/subscriptions/").json()) == 6


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"events": ["exploded"]}, "events", "is not a valid choice"),
        ({"events": []}, "events", "at least one"),
        ({"format": "xml"}, "format", "is not a valid choice"),
        ({"url": "ftp://x.example"}, "url", "http(s)://"),
        ({"domain": "nowhere"}, "domain", "does not exist"),
    ],
)
def test_bad_input_answers_400_naming_the_field(api_as, lead, change, field, words):
    response = api_as(lead).post("/api/v1/subscriptions/", {**BODY, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert words in str(response.json()["errors"][field])


def test_pause_and_resume_through_patch(api_as, existing, lead):
    client = api_as(lead)
    paused = client.patch(f"/api/v1/subscriptions/{existing.pk}/", {"active": False}, format="json")
    assert paused.json()["active"] is False
    resumed = client.patch(f"/api/v1/subscriptions/{existing.pk}/", {"active": True}, format="json")
    assert (resumed.json()["active"], resumed.json()["paused_reason"]) == (True, "")


def test_the_envelope_schema_is_published(api_as, requester):
    schema = api_as(requester).get("/api/v1/subscriptions/schema/").json()
    assert schema["required"] == ["version", "id", "type", "occurred_at", "data"]
    assert "work_item_done" in schema["properties"]["type"]["enum"]


def test_the_v1_domain_webhook_becomes_a_subscription_and_is_not_sent_twice(
    requester, lead, target_domain, cycle, sink, django_capture_on_commit_callbacks
):
    target_domain.webhook_url, target_domain.webhook_secret = sink.url, "v1-secret"
    target_domain.save()
    migration = importlib.import_module(
        "notifications.migrations.0004_domain_webhooks_to_subscriptions"
    )
    migration.forwards(apps, None)
    migration.forwards(apps, None)  # idempotent
    subscription = Subscription.objects.get(domain=target_domain)
    assert (subscription.url, subscription.format, subscription.events) == (
        sink.url,
        "slack",
        ["submitted"],
    )
    assert crypto.decrypt(subscription.secret_encrypted) == "v1-secret"
    with django_capture_on_commit_callbacks(execute=True):
        services.request_create(
            actor=requester,
            submit=True,
            title="Clicks",
            business_need="Rank",
            target_domain=target_domain,
            needed_by_cycle=cycle,
        )
    rows = Notification.objects.filter(channel="webhook")
    assert [(r.subscription_id, r.status) for r in rows] == [(subscription.pk, "sent")]
    assert len(sink.received) == 1


def test_deleting_the_migrated_subscription_stops_the_v1_webhook_too(
    requester, lead, target_domain, cycle, sink, django_capture_on_commit_callbacks
):
    target_domain.webhook_url, target_domain.webhook_secret = sink.url, "v1-secret"
    target_domain.save()
    importlib.import_module(
        "notifications.migrations.0004_domain_webhooks_to_subscriptions"
    ).forwards(apps, None)
    subs.subscription_delete(subscription=Subscription.objects.get(), actor=lead)
    target_domain.refresh_from_db()
    assert target_domain.webhook_url == ""
    with django_capture_on_commit_callbacks(execute=True):
        services.request_create(
            actor=requester,
            submit=True,
            title="Clicks",
            business_need="Rank",
            target_domain=target_domain,
            needed_by_cycle=cycle,
        )
    assert sink.received == []


def test_a_domain_webhook_not_migrated_still_goes_out_as_in_v1(
    requester, target_domain, cycle, sink, django_capture_on_commit_callbacks
):
    target_domain.webhook_url, target_domain.webhook_secret = sink.url, "v1-secret"
    target_domain.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_create(
            actor=requester,
            submit=True,
            title="Clicks",
            business_need="Rank",
            target_domain=target_domain,
            needed_by_cycle=cycle,
        )
    assert len(sink.received) == 1
    assert Notification.objects.get(channel="webhook").subscription_id is None


def test_deadline_reminders_reach_every_subscription_that_chose_them(staff, cycle):
    subscription, _ = subs.subscription_create(
        actor=staff, url=URL, format="json", events=["deadline_approaching"], domain=None
    )
    factories.DataRequestFactory(needed_by_cycle=cycle, status="draft")
    remind_deadlines(today=cycle.request_deadline - dt.timedelta(days=7))
    envelope = Notification.objects.get(subscription=subscription).payload["envelope"]
    assert (envelope["type"], envelope["data"]["days"]) == ("deadline_approaching", 7)
    assert envelope["data"]["request"] is None


def test_the_domain_page_leads_its_leads_to_the_subscriptions(client, lead, member, target_domain):
    client.force_login(lead)
    page = client.get(f"/catalog/domains/{target_domain.slug}/").content.decode()
    assert f"/domains/{target_domain.slug}/subscriptions/" in page
    client.force_login(member)
    page = client.get(f"/catalog/domains/{target_domain.slug}/").content.decode()
    assert f"/domains/{target_domain.slug}/subscriptions/" not in page


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/hook", "http://169.254.169.254/latest", "http://10.0.0.7/"]
)
def test_a_subscription_to_an_internal_address_is_refused(api_as, lead, settings, url):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False
    response = api_as(lead).post("/api/v1/subscriptions/", {**BODY, "url": url}, format="json")
    assert response.status_code == 400
    assert "public" in str(response.json())
    assert not Subscription.objects.exists()


def test_a_send_to_an_address_that_became_internal_fails_for_good(lead, target_domain, settings):
    subscription, _secret = subs.subscription_create(
        actor=lead, url="http://127.0.0.1:9/hook", format="json", events=["accepted"],
        domain=target_domain,
    )  # fmt: skip
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False  # e.g. its name now resolves to loopback
    result = subs.subscription_send_test(subscription=subscription, actor=lead)
    assert not result.ok
    assert "internal" in result.error
