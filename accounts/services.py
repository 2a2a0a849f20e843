"""API tokens: a user creates (or replaces) and revokes their own token; nobody else can."""

from __future__ import annotations

from django.db import transaction
from rest_framework.authtoken.models import Token

from core.errors import NotPermitted


def _check_self(user) -> None:
    if not (user and user.is_authenticated):
        raise NotPermitted("Sign in to manage your API token.")


@transaction.atomic
def token_create(*, user) -> Token:
    """Issue a new token for ``user``, revoking the previous one (one live token per user)."""
    _check_self(user)
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


@transaction.atomic
def token_revoke(*, user) -> bool:
    """Revoke ``user``'s token; True if there was one. Clients using it get 401 from now on."""
    _check_self(user)
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)
