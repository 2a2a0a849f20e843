"""A domain's Slack-compatible incoming webhook, signed with HMAC-SHA256 over the body."""

from __future__ import annotations

import hashlib
import hmac
import json

import requests

from notifications.channels.base import Channel, ChannelError
from notifications.channels.email import link_for
from notifications.models import Notification
from notifications.subscriptions import delivery as subscriptions

TIMEOUT_SECONDS = 5
SIGNATURE_HEADER = "X-Upstream-Signature"


def sign(body: bytes, secret: str) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of the body with the domain's secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def body_for(notification: Notification) -> bytes:
    """Slack's incoming-webhook JSON: a plain `text` and the same as `blocks`."""
    link = link_for(notification)
    text = f"{notification.message} <{link}|Open in Upstream>"
    payload = {
        "text": text,
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": f"Upstream · {notification.kind}"}],
            },
        ],
    }
    return json.dumps(payload, separators=(",", ":")).encode()


class WebhookChannel(Channel):
    kind = Notification.Channel.WEBHOOK

    def send(self, notification: Notification) -> None:
        if notification.subscription_id:  # an event subscription: its own format and signing
            subscriptions.send(notification)
            return
        domain = notification.domain
        if domain is None or not domain.webhook_url:
            raise ChannelError("The domain has no webhook URL any more.", permanent=True)
        if not domain.webhook_secret:
            # Never send unsigned. The domain services give every webhook a secret; a domain
            # saved before that rule gets one the next time a lead or staff saves it.
            raise ChannelError(
                f"{domain} has a webhook URL but no signing secret; save the domain to get one.",
                permanent=True,
            )
        body = body_for(notification)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Upstream-Webhook/1.0",
            "Idempotency-Key": notification.dedupe_key,
            SIGNATURE_HEADER: sign(body, domain.webhook_secret),
        }
        try:
            response = requests.post(
                domain.webhook_url, data=body, headers=headers, timeout=TIMEOUT_SECONDS
            )
        except requests.RequestException as exc:
            raise ChannelError(f"Webhook unreachable: {exc.__class__.__name__}: {exc}") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise ChannelError(f"Webhook answered {response.status_code}: {response.text[:200]}")
        if response.status_code >= 400:
            raise ChannelError(
                f"Webhook refused it ({response.status_code}): {response.text[:200]}",
                permanent=True,
            )
