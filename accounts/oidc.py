"""OpenID Connect sign-in (mozilla-django-oidc), configured from the issuer's discovery document.

The library runs the authorization code flow with PKCE and checks `state` and `nonce`; here we
add what it leaves out (the ID token's issuer, audience and expiry, required), read the groups
claim and hand it to `roles_apply`, and link the person by the provider's `sub`.
"""

from __future__ import annotations

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from accounts.models import ExternalIdentity, RoleChange
from accounts.services.roles import roles_apply

logger = logging.getLogger(__name__)

# The library's setting names → the discovery document's keys.
_DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
DISCOVERY_CACHE_SECONDS = 3600


def discovery() -> dict:
    """The issuer's `/.well-known/openid-configuration`, cached for an hour; its `issuer` must be
    exactly `OIDC_ISSUER` (OpenID Connect Discovery §4.3)."""
    issuer = settings.OIDC_ISSUER
    if not issuer:
        raise ImproperlyConfigured("OIDC_ISSUER is not set.")
    cache_key = f"oidc-discovery:{issuer}"
    document = cache.get(cache_key)
    if document is None:
        response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10)
        response.raise_for_status()
        document = response.json()
        if document.get("issuer", "").rstrip("/") != issuer:
            raise SuspiciousOperation(
                f"Discovery document names issuer {document.get('issuer')!r}, not {issuer!r}."
            )
        cache.set(cache_key, document, DISCOVERY_CACHE_SECONDS)
    return document


def get_settings(attr: str, *args):
    """The library's settings, with the provider's endpoints taken from discovery."""
    if attr in _DISCOVERED:
        return discovery().get(_DISCOVERED[attr], *args)
    return import_from_settings(attr, *args)


class OIDCBackend(OIDCAuthenticationBackend):
    """Signs a person in with a verified ID token; creates or updates them and their roles."""

    get_settings = staticmethod(get_settings)

    def __init__(self, *args, **kwargs):
        # The library reads every endpoint here, i.e. on every `authenticate()` call (password
        # sign-ins too); ours are looked up lazily, only when an OIDC callback needs them.
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        from django.contrib.auth import get_user_model

        self.UserModel = get_user_model()

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):  # noqa: N802 - the library's attribute name
        return get_settings("OIDC_OP_TOKEN_ENDPOINT")

    @property
    def OIDC_OP_USER_ENDPOINT(self):  # noqa: N802
        return get_settings("OIDC_OP_USER_ENDPOINT", None)

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):  # noqa: N802
        return get_settings("OIDC_OP_JWKS_ENDPOINT")

    def _verify_jws(self, payload, key):
        """Signature, algorithm, and the claims the library does not check: iss, aud, exp."""
        try:
            alg = jwt.get_unverified_header(payload).get("alg")
            if alg != self.OIDC_RP_SIGN_ALGO:
                raise SuspiciousOperation(f"ID token signed with {alg!r}, expected the configured.")
            return jwt.decode(
                payload,
                key,
                algorithms=[alg],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_ISSUER,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
                leeway=30,
            )
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"ID token rejected: {exc}") from exc

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, completed by the userinfo endpoint when there is one (Entra ID
        puts groups in the ID token only; Keycloak and Okta may put them in either)."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            extra = super().get_userinfo(access_token, id_token, payload)
            if extra.get("sub") not in (None, payload.get("sub")):
                raise SuspiciousOperation("userinfo answered for another subject.")
            claims.update(extra)
        return claims

    def filter_users_by_claims(self, claims):
        """The person linked to this `sub`, else the one with this email (first sign-in)."""
        by_subject = self.UserModel.objects.filter(external_identity__oidc_subject=claims["sub"])
        if by_subject.exists():
            return by_subject
        return super().filter_users_by_claims(claims)

    def get_username(self, claims):
        wanted = (claims.get("preferred_username") or claims.get("email") or "")[:150]
        if wanted and not self.UserModel.objects.filter(username=wanted).exists():
            return wanted
        return super().get_username(claims)

    @transaction.atomic
    def create_user(self, claims):
        user = super().create_user(claims)
        logger.info("OIDC: created %s (sub %s).", user, claims["sub"])
        return self.update_user(user, claims)

    @transaction.atomic
    def update_user(self, user, claims):
        """Name and email from the claims, the `sub` link, then the roles the groups say."""
        user.first_name = claims.get("given_name", user.first_name)[:150]
        user.last_name = claims.get("family_name", user.last_name)[:150]
        if claims.get("email"):
            user.email = claims["email"]
        user.save(update_fields=["first_name", "last_name", "email"])
        ExternalIdentity.objects.update_or_create(
            user=user, defaults={"oidc_subject": claims["sub"]}
        )
        groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
        if isinstance(groups, str):
            groups = [groups]
        roles_apply(user=user, groups=groups, source=RoleChange.Source.OIDC)
        return user

    def get_user(self, user_id):
        """The signed-in person on each request, only while active (deactivation locks out)."""
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


class _OnlyWhenConfigured:
    """Without `OIDC_ISSUER` these pages do not exist."""

    def dispatch(self, request, *args, **kwargs):
        if not settings.OIDC_ISSUER:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class OIDCStartView(_OnlyWhenConfigured, OIDCAuthenticationRequestView):
    """Redirects to the provider with state, nonce and a PKCE challenge."""

    get_settings = staticmethod(get_settings)

    def __init__(self, **kwargs):
        # The library looks the endpoint up here; ours is read when the view runs (configured).
        View.__init__(self, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    @property
    def OIDC_OP_AUTH_ENDPOINT(self):  # noqa: N802 - the library's attribute name
        return get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")

    def get(self, request):
        try:
            return super().get(request)
        except requests.RequestException:
            logger.exception("OIDC discovery failed for %s", settings.OIDC_ISSUER)
            messages.error(
                request,
                _("%(provider)s cannot be reached right now; try again in a minute.")
                % {"provider": settings.OIDC_PROVIDER_NAME},
            )
            return redirect(settings.LOGIN_URL)


class OIDCCallbackView(_OnlyWhenConfigured, OIDCAuthenticationCallbackView):
    """Back from the provider: a bad state, nonce or token is refused with a message, not a 500."""

    get_settings = staticmethod(get_settings)

    def get(self, request):
        try:
            return super().get(request)
        except (SuspiciousOperation, requests.RequestException) as exc:
            logger.warning("OIDC sign-in refused: %s", exc)
            return self.login_failure()

    def login_failure(self):
        messages.error(
            self.request,
            _("Signing in with %(provider)s did not work. Try again, or ask your administrator.")
            % {"provider": settings.OIDC_PROVIDER_NAME},
        )
        return super().login_failure()
