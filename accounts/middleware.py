"""The interface language of a signed-in person: their profile's choice wins over the browser's."""

from __future__ import annotations

from django.utils import translation

from accounts.services.language import SESSION_KEY


class PersonLanguageMiddleware:
    """After LocaleMiddleware (cookie, Accept-Language) and authentication: a signed-in person's
    chosen language, kept in their session at sign-in and on change, is activated for the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if language and request.user.is_authenticated:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
