"""Reads for the accounts pages."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from accounts.models import ApiToken, Profile


def api_tokens_of(*, user: AbstractBaseUser) -> QuerySet[ApiToken]:
    """A person's own tokens, newest first (revoked and expired ones included, marked)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def language_of(*, user: AbstractBaseUser) -> str:
    """The language a person chose on their profile, or "" when they chose none."""
    return Profile.objects.filter(user_id=user.pk).values_list("language", flat=True).first() or ""
