"""A person's interface language: the choice on their profile, remembered in their session."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Profile

# The session key the middleware reads, so a page costs no query to find the language.
SESSION_KEY = "upstream_language"


def profile_set_language(*, actor: AbstractBaseUser, language: str) -> Profile:
    """Store ``actor``'s own interface language ("" = follow the browser). Only the person
    themself calls it (the profile page); an unknown code is refused with the valid ones."""
    codes = [code for code, _name in settings.LANGUAGES]
    if language and language not in codes:
        raise ValidationError(
            {
                "language": _("Choose one of: %(codes)s.") % {"codes": ", ".join(codes)},
            }
        )
    profile, _created = Profile.objects.update_or_create(
        user=actor, defaults={"language": language}
    )
    return profile
