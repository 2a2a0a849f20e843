"""The channel contract. Each delivery channel is a small subclass of `Channel`."""

from __future__ import annotations

from requests_app.models import Notification


class ChannelError(Exception):
    """Delivery failed. ``permanent=True`` means retrying cannot help (bad address, 4xx):
    the row ends `failed` at once; otherwise it is retried with backoff."""

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


class Channel:
    """Delivers one notification.

    ``send(notification)`` returns None on success and raises `ChannelError` on failure. It
    must not touch the notification's status: the outbox does that, after `send` returns, so a
    row is marked sent only once the channel accepted it. It may be called again for the same
    row after a crash (at-least-once); channels pass ``notification.dedupe_key`` downstream
    where the receiver can use it to drop a repeat.
    """

    kind: str = ""

    def send(self, notification: Notification) -> None:  # pragma: no cover - interface
        raise NotImplementedError
