"""The language each recipient reads Upstream in: the one chosen on their profile, else the
site's `LANGUAGE_CODE`. Reached through the user's `profile` relation (accounts owns the model,
notifications does not import it)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model


def languages_of(user_ids: Iterable[int]) -> dict[int, str]:
    """user id → language code, for every given user (one query)."""
    ids = set(user_ids)
    chosen = dict(
        get_user_model()
        .objects.filter(pk__in=ids, profile__language__gt="")
        .values_list("pk", "profile__language")
    )
    return {pk: chosen.get(pk) or settings.LANGUAGE_CODE for pk in ids}


def language_of(user) -> str:
    """One recipient's language (uses the `profile` already loaded by select_related if any)."""
    profile = getattr(user, "profile", None) if user is not None else None
    return (profile.language if profile is not None else "") or settings.LANGUAGE_CODE
