"""API tokens: named, several per person, shown once, stored hashed, expiring, maybe read-only.

A person manages their own tokens; staff may revoke anyone's. Nobody can read a key back.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ApiToken, token_digest
from core.errors import NotPermitted
from products import access

MAX_TTL_DAYS = 366
# Coarse on purpose: one write per token per minute at most, not one per API call.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def _check_signed_in(actor) -> None:
    if not (actor and actor.is_authenticated and actor.is_active):
        raise NotPermitted(_("Sign in to manage API tokens."))


def _new_key() -> str:
    return secrets.token_urlsafe(40)


def api_token_create(
    *,
    actor: AbstractBaseUser,
    name: str,
    read_only: bool = False,
    ttl_days: int | None = None,
) -> tuple[ApiToken, str]:
    """Issue a token for ``actor`` themself; returns (token, key) and the key is never stored."""
    _check_signed_in(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the script that uses it.")})
    if len(name) > 100:
        raise ValidationError({"name": _("Keep the name to 100 characters or fewer.")})
    days = settings.API_TOKEN_TTL_DAYS if ttl_days is None else ttl_days
    if not 1 <= days <= MAX_TTL_DAYS:
        raise ValidationError(
            {"ttl_days": _("A token lives between 1 and %(max)d days.") % {"max": MAX_TTL_DAYS}}
        )
    key = _new_key()
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        digest=token_digest(key),
        prefix=key[:8],
        read_only=read_only,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: AbstractBaseUser, token: ApiToken) -> bool:
    """Revoke one token: its owner or staff may; True if it was live. Clients get 401 at once."""
    _check_signed_in(actor)
    if token.user_id != actor.pk and not actor.is_staff:
        raise NotPermitted(_("You can only revoke your own API tokens."))
    return bool(
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def api_tokens_revoke_all(*, user: AbstractBaseUser) -> int:
    """Revoke every live token of ``user`` (deactivation, departure); called by trusted code."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def api_token_authenticate(*, key: str) -> ApiToken | None:
    """The live token for ``key`` (owner active, not expired or revoked), noting its use."""
    token = (
        ApiToken.objects.live()
        .select_related("user")
        # The owner's interface language rides along (no extra query): the API answers in it;
        # so do the owner's domains, which most endpoints check.
        .annotate(
            owner_language=F("user__profile__language"), **access.domain_ids_alongside("user_id")
        )
        .filter(digest=token_digest(key))
        .first()
    )
    if token is None:
        return None
    access.remember_domain_ids(token.user, token)
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_token_for_password_exchange(*, user: AbstractBaseUser) -> str:
    """A new key for ``POST /api/v1/auth/token/``: each exchange issues a fresh named token."""
    return api_token_create(actor=user, name=_("Issued by the token endpoint"))[1]
