"""Throttles for the doors that take a password: on the client address and on the account,
whatever credentials the caller also sent."""

from __future__ import annotations

import hashlib

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle


class SignInAddressThrottle(AnonRateThrottle):
    """The anonymous rate, per client address, for every caller of a sign-in door.

    DRF's `AnonRateThrottle` steps aside for an authenticated caller, so sending any valid token
    along with the guesses would skip it; a password door counts everyone who knocks.
    """

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": "sign_in_ip", "ident": self.get_ident(request)}


class SignInAccountThrottle(SimpleRateThrottle):
    """Attempts per username (``sign_in_account`` rate), from any address: guessing one
    account's password from many addresses is slowed too. The username is hashed in the key."""

    scope = "sign_in_account"

    def get_cache_key(self, request, view):
        username = request.data.get("username") if hasattr(request.data, "get") else None
        if not isinstance(username, str) or not username:
            return None
        digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": digest}
