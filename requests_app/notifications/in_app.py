"""The in-app inbox: the row itself is the delivery, so there is nothing to send."""

from __future__ import annotations

from requests_app.models import Notification
from requests_app.notifications.base import Channel


class InAppChannel(Channel):
    kind = Notification.Channel.IN_APP
    local = True

    def send(self, notification: Notification) -> None:
        return None
