"""The in-app inbox: the row itself is the delivery, so there is nothing to send."""

from __future__ import annotations

from notifications.channels.base import Channel
from notifications.models import Notification


class InAppChannel(Channel):
    kind = Notification.Channel.IN_APP
    local = True

    def send(self, notification: Notification) -> None:
        return None
