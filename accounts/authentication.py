"""`Authorization: Token <key>` for the API, against hashed, expiring, maybe read-only tokens."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import SAFE_METHODS

from accounts.services.tokens import api_token_authenticate


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's header parsing (and `WWW-Authenticate: Token`), our token store behind it."""

    def authenticate_credentials(self, key):
        token = api_token_authenticate(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("Invalid, expired or revoked token. Create a new one on your profile page.")
            )
        if token.owner_language in {code for code, _name in settings.LANGUAGES}:
            # A token carries no session, so PersonLanguageMiddleware could not apply the
            # person's choice: it wins over Accept-Language here, as on the pages.
            translation.activate(token.owner_language)
        return token.user, token

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and result[1].read_only and request.method not in SAFE_METHODS:
            # Raised here, not in a permission class, so no view can forget to check it.
            raise exceptions.PermissionDenied(_("This API token is read-only."))
        return result
