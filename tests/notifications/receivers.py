"""A subscription receiver on loopback: the real `tests.sinks.Sink` HTTP server, checking the
subscription signature the way the README tells receivers to (HMAC-SHA256 over
``"<timestamp>." + body``, timestamp no older than five minutes)."""

from __future__ import annotations

import hashlib
import hmac
import time

from tests.sinks import Sink

MAX_SKEW = 300


class SignedReceiver(Sink):
    """A careful receiver: 401 for a missing, wrong or stale signature; keeps each
    Idempotency-Key once."""

    def signed(self, body: bytes, headers) -> bool:
        timestamp = headers.get("X-Upstream-Timestamp", "")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_SKEW:
            return False
        mac = hmac.new(self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
        return hmac.compare_digest(
            headers.get("X-Upstream-Signature", ""), "sha256=" + mac.hexdigest()
        )
