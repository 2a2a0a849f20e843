"""OpenID Connect sign-in at the HTTP level, against a loopback provider that signs ID tokens with
a test key: PKCE, state and nonce are checked; an expired token, one from another issuer, for
another client or signed by an unknown key is refused; the person is created, then updated."""

from __future__ import annotations

import base64
import hashlib
import time
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model

from accounts.models import RoleChange
from tests import factories
from tests.accounts.oidc_issuer import CLIENT_ID, CLIENT_SECRET, LoopbackIssuer, new_key

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def issuer(settings):
    loopback = LoopbackIssuer()
    settings.OIDC_ISSUER = loopback.url
    settings.OIDC_PROVIDER_NAME = "Loopback IdP"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "accounts.oidc.OIDCBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    yield loopback
    loopback.close()


def start(client, issuer) -> dict:
    """Begin sign-in; returns the authorization request's parameters (as the provider sees)."""
    response = client.get("/accounts/oidc/authenticate/")
    assert response.status_code == 302
    assert response["Location"].startswith(f"{issuer.url}/authorize?")
    params = {k: v[0] for k, v in parse_qs(urlparse(response["Location"]).query).items()}
    issuer.nonce = params["nonce"]
    return params


def finish(client, state: str):
    return client.get("/accounts/oidc/callback/", {"code": "the-code", "state": state})


def signed_in(client) -> bool:
    return client.get("/accounts/profile/").status_code == 200


def test_sign_in_uses_pkce_state_and_nonce_and_creates_the_person(client, issuer, target_domain):
    params = start(client, issuer)
    assert params["code_challenge_method"] == "S256"
    assert params["state"]
    assert params["nonce"]
    response = finish(client, params["state"])
    assert response.status_code == 302
    assert signed_in(client)

    verifier = issuer.token_requests[-1]["code_verifier"]
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    assert challenge.decode() == params["code_challenge"]

    dana = User.objects.get(username="dana")
    assert (dana.email, dana.first_name) == ("dana@example.com", "Dana")
    assert list(dana.led_domains.all()) == [target_domain]
    assert dana.external_identity.oidc_subject == "sub-1"


def test_a_later_sign_in_updates_name_email_and_roles(client, issuer, target_domain):
    finish(client, start(client, issuer)["state"])
    client.logout()
    issuer.claims = {"email": "dana.new@example.com", "given_name": "Danielle", "groups": []}
    finish(client, start(client, issuer)["state"])
    dana = User.objects.get(username="dana")
    assert (dana.email, dana.first_name) == ("dana.new@example.com", "Danielle")
    assert not dana.led_domains.exists()
    assert RoleChange.objects.filter(action="removed", source="oidc").count() == 1


def test_a_tampered_state_is_refused(client, issuer):
    start(client, issuer)
    response = finish(client, "forged-state")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not signed_in(client)
    assert not User.objects.filter(username="dana").exists()


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        pytest.param({"nonce": "not-the-one-we-sent"}, "Nonce", id="wrong-nonce"),
        pytest.param(
            {"exp": int(time.time()) - 600, "iat": int(time.time()) - 900}, "expired", id="expired"
        ),
        pytest.param({"iss": "https://evil.example"}, "issuer", id="another-issuer"),
        pytest.param({"aud": "another-client"}, "Audience", id="another-audience"),
    ],
)
def test_a_bad_id_token_is_refused(client, issuer, claims, reason, caplog):
    params = start(client, issuer)
    issuer.claims = claims
    response = finish(client, params["state"])
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not signed_in(client)
    assert not User.objects.filter(username="dana").exists()
    assert reason in caplog.text


def test_a_token_signed_by_an_unknown_key_is_refused(client, issuer):
    params = start(client, issuer)
    issuer.signing_key = new_key()
    finish(client, params["state"])
    assert not signed_in(client)


def test_a_deactivated_person_cannot_sign_in_through_the_provider(client, issuer):
    factories.UserFactory(username="dana", email="dana@example.com", is_active=False)
    finish(client, start(client, issuer)["state"])
    assert not signed_in(client)


def test_the_sign_in_page_offers_the_provider(client, issuer):
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with Loopback IdP" in page
    assert 'name="password"' in page


def test_without_an_issuer_nothing_changes(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with" not in page
    assert 'name="password"' in page
    assert client.get("/accounts/oidc/authenticate/").status_code == 404


def test_password_login_off_hides_the_form_and_refuses_non_staff(client, issuer, settings):
    settings.PASSWORD_LOGIN = False
    assert 'name="password"' not in client.get("/accounts/login/").content.decode()
    factories.UserFactory(username="pm")
    response = client.post("/accounts/login/", {"username": "pm", "password": "pw-upstream-1"})
    assert response.status_code == 200
    assert "Sign in with Loopback IdP" in response.content.decode()
    assert not signed_in(client)


def test_staff_keep_a_logged_break_glass_password_sign_in(client, issuer, settings, caplog):
    settings.PASSWORD_LOGIN = False
    factories.UserFactory(username="root", is_staff=True)
    assert 'name="password"' in client.get("/accounts/login/?break_glass=1").content.decode()
    response = client.post(
        "/accounts/login/?break_glass=1", {"username": "root", "password": "pw-upstream-1"}
    )
    assert response.status_code == 302
    assert signed_in(client)
    assert "Break-glass password sign-in by staff member root" in caplog.text


def test_a_person_signed_in_through_the_provider_is_locked_out_once_deactivated(client, issuer):
    finish(client, start(client, issuer)["state"])
    assert signed_in(client)
    User.objects.filter(username="dana").update(is_active=False)
    assert not signed_in(client)  # the very next request
