"""A person's lifecycle as the identity provider drives it: create, update, (de)activate."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from accounts.services.tokens import api_tokens_revoke_all

User = get_user_model()


def sessions_end(*, user: AbstractBaseUser) -> int:
    """Delete every live session of ``user`` (database sessions); returns how many."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def person_deactivate(*, user: AbstractBaseUser) -> None:
    """Lock ``user`` out now: inactive, sessions ended, API tokens revoked; their requests,
    comments and history stay. Idempotent. Called by SCIM (after the bearer check) and admin."""
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    api_tokens_revoke_all(user=user)
    sessions_end(user=user)


def person_set_active(*, user: AbstractBaseUser, active: bool) -> None:
    """Activate or deactivate ``user`` (deactivation also ends sessions and revokes tokens)."""
    if not active:
        person_deactivate(user=user)
    elif not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
