"""At sign-in, the person's chosen language is put in their session (read by the middleware)."""

from __future__ import annotations

from accounts.selectors import language_of
from accounts.services.language import SESSION_KEY


def remember_language(sender, request, user, **kwargs) -> None:
    """Copy the profile's language into the new session; nothing when they chose none."""
    if request is None or not hasattr(request, "session"):
        return
    language = language_of(user=user)
    if language:
        request.session[SESSION_KEY] = language
    else:
        request.session.pop(SESSION_KEY, None)
