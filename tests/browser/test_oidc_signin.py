"""Sign-in through a real OpenID Connect provider (panva/oidc-provider on Node.js): a lead lands on
their board with exactly the roles their groups say; a group removed at the provider takes the role
away at the next sign-in."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from accounts.models import RoleChange
from tests import factories
from tests.oidc_provider.harness import CLIENT_ID, CLIENT_SECRET, NodeProvider

pytestmark = pytest.mark.django_db(transaction=True)
ALICE = {
    "email": "alice@example.com",
    "given_name": "Alice",
    "family_name": "Lead",
    "groups": ["upstream:payments:lead", "upstream:search:member", "engineering"],
}


@pytest.fixture
def provider(live_server, settings, tmp_path):
    node = NodeProvider(f"{live_server.url}/accounts/oidc/callback/", {"alice": ALICE}, tmp_path)
    settings.OIDC_ISSUER = node.issuer
    settings.OIDC_PROVIDER_NAME = "Test IdP"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SCOPES = "openid email profile groups"
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "accounts.oidc.OIDCBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    yield node
    node.close()


@pytest.fixture
def domains(db):
    factories.DomainFactory(name="Payments", slug="payments")
    factories.DomainFactory(name="Search", slug="search")
    factories.CycleFactory()  # a board shows a cycle


def sign_in(page, provider, next_path="/"):
    page.goto(page.live_url(next_path))  # not signed in: sent to the sign-in page
    page.get_by_role("link", name="Sign in with Test IdP").click()
    if page.url.startswith(provider.issuer):  # the provider's own sign-in form
        page.locator("input[name=login]").fill("alice")
        page.locator("input[name=password]").fill("any password")
        page.get_by_role("button", name="Sign-in").click()
    page.wait_for_url(page.live_url(next_path))


def test_a_lead_signs_in_through_the_provider_and_lands_on_their_board(
    browser_page, provider, domains
):
    page = browser_page
    sign_in(page, provider, "/domains/payments/board/")
    expect(page.locator("h1")).to_contain_text("Payments")

    alice = get_user_model().objects.get(email="alice@example.com")
    assert (alice.username, alice.first_name, alice.last_name) == ("alice", "Alice", "Lead")
    assert list(alice.led_domains.values_list("slug", flat=True)) == ["payments"]
    assert list(alice.member_domains.values_list("slug", flat=True)) == ["search"]
    assert not alice.is_staff
    assert not alice.has_usable_password()
    assert set(RoleChange.objects.values_list("source", "role")) == {
        ("oidc", "lead"),
        ("oidc", "member"),
    }


def test_a_group_removed_at_the_provider_takes_the_role_away_at_the_next_sign_in(
    browser_page, provider, domains
):
    page = browser_page
    sign_in(page, provider)
    page.goto(page.live_url("/accounts/profile/"))
    expect(page.locator("dd", has_text="Payments")).to_be_visible()

    provider.set_users({"alice": {**ALICE, "groups": ["upstream:search:member"]}})
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, provider, "/accounts/profile/")

    alice = get_user_model().objects.get(email="alice@example.com")
    assert not alice.led_domains.exists()
    expect(page.locator("dd", has_text="Payments")).to_have_count(0)
    assert RoleChange.objects.filter(action="removed", role="lead", source="oidc").count() == 1
