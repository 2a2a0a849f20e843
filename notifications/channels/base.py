"""The channel contract. Each delivery channel is a small subclass of `Channel`."""

from __future__ import annotations

from notifications.models import Notification


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

    The outbox delivers a batch with one channel object per kind: `open` before the first
    send, `close` after the last (also when the batch ends early), so a channel may share one
    connection across the batch. ``send`` must also work on its own, without `open`.
    """

    kind: str = ""
    #: True when ``send`` reaches nothing outside the database (the in-app inbox). The outbox
    #: then marks a batch of such rows sent in one statement: repeating them after a crash
    #: would reach no one, so they need no mark of their own between sends.
    local: bool = False

    def open(self) -> None:
        """Before a batch: take what the sends may share (a connection). Default: nothing."""

    def close(self) -> None:
        """After a batch: release what `open` or the sends took. Must not raise."""

    def send(self, notification: Notification) -> None:  # pragma: no cover - interface
        raise NotImplementedError
