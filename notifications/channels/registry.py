"""Channel kinds → channel classes. Add a channel by writing a `Channel` and listing it here."""

from __future__ import annotations

from notifications.channels.base import Channel
from notifications.channels.email import EmailChannel
from notifications.channels.in_app import InAppChannel
from notifications.channels.webhook import WebhookChannel
from notifications.models import Notification

CHANNELS: dict[str, type[Channel]] = {
    Notification.Channel.IN_APP: InAppChannel,
    Notification.Channel.EMAIL: EmailChannel,
    Notification.Channel.WEBHOOK: WebhookChannel,
}


def channel_for(kind: str) -> Channel:
    return CHANNELS[kind]()
