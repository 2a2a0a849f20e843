"""Signed POSTs to subscription URLs. Receivers verify (README "Integrations"):

    X-Upstream-Timestamp: <unix seconds>
    X-Upstream-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>." + raw body, with the secret>

The timestamp is inside what is signed, so a receiver that refuses old timestamps (five minutes)
refuses replays; ``Idempotency-Key`` (and the envelope's ``id``) let it drop a repeated delivery."""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

import requests

from core import outbound

SIGNATURE_HEADER = "X-Upstream-Signature"
TIMESTAMP_HEADER = "X-Upstream-Timestamp"
# What a failed attempt raises when the receiver could not be reached in time (retried).
UNREACHABLE = (requests.RequestException, outbound.DeadlineExceeded)
MAX_ANSWER = 2000  # characters of the receiver's answer kept (shown by "send a test event")


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=<hex>`` over ``b"<timestamp>." + body``."""
    signed = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Answer:
    """What the receiver said: its HTTP status and the start of its body."""

    status: int
    body: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def post(*, url: str, body: bytes, secret: str, key: str, event_type: str) -> Answer:
    """POST ``body`` signed with ``secret``. Raises `outbound.UnsafeDestination` (an internal
    address: permanent), or `UNREACHABLE` errors when the receiver cannot be reached or does not
    answer within the deadline (retried)."""
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Upstream-Webhook/1.0",
        "Idempotency-Key": key,
        "X-Upstream-Event": event_type,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }
    # The guarded client (core.outbound): public addresses only (checked on the address it
    # connects to), no redirects, a bounded answer and a total deadline.
    answer = outbound.post(url, data=body, headers=headers)
    return Answer(answer.status_code, answer.text[:MAX_ANSWER])
