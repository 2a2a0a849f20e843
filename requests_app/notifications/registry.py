"""Channel kinds → channel classes. Add a channel by writing a `Channel` and listing it here."""

from __future__ import annotations

from requests_app.models import Notification
from requests_app.notifications.base import Channel
from requests_app.notifications.email import EmailChannel
from requests_app.notifications.in_app import InAppChannel
from requests_app.notifications.webhook import WebhookChannel

CHANNELS: dict[str, type[Channel]] = {
    Notification.Channel.IN_APP: InAppChannel,
    Notification.Channel.EMAIL: EmailChannel,
    Notification.Channel.WEBHOOK: WebhookChannel,
}


def channel_for(kind: str) -> Channel:
    return CHANNELS[kind]()
