"""Subscription secrets at rest: encrypted with Fernet (AES-128-CBC + HMAC-SHA256), under a key
derived from SUBSCRIPTION_ENCRYPTION_KEY, or from SECRET_KEY when that is unset. The clear
secret exists only when shown once to its creator and in memory while signing a delivery."""

from __future__ import annotations

import base64
import hashlib
import secrets

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.utils.translation import gettext


class SecretUnreadable(Exception):
    """The stored secret was encrypted under another key (the key changed): rotate it."""


def _fernet() -> Fernet:
    material = settings.SUBSCRIPTION_ENCRYPTION_KEY or settings.SECRET_KEY
    # A fixed context string keeps this key apart from any other use of SECRET_KEY.
    digest = hashlib.sha256(b"upstream.subscriptions.v1:" + material.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def new_secret() -> str:
    """A fresh signing secret (256 bits, URL-safe), prefixed so people recognise it."""
    return "whsec_" + secrets.token_urlsafe(32)


def encrypt(secret: str) -> str:
    """The secret as stored: a Fernet token (authenticated encryption)."""
    return _fernet().encrypt(secret.encode()).decode()


def decrypt(token: str) -> str:
    """The clear secret, for signing one delivery; `SecretUnreadable` after a key change."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable(
            gettext(
                "The subscription's secret cannot be decrypted with the current key; rotate it."
            )
        ) from exc
