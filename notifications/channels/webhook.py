"""A domain's Slack-compatible incoming webhook, signed with HMAC-SHA256 over the body."""

from __future__ import annotations

import hashlib
import hmac
import json

import requests

from core import outbound
from notifications.channels.base import Channel, ChannelError
from notifications.channels.email import link_for
from notifications.models import Notification
from notifications.subscriptions import delivery as subscriptions

# The longest one send may take (core.outbound: connect, read and a total deadline).
TIMEOUT_SECONDS = outbound.DEADLINE_SECONDS
SIGNATURE_HEADER = "X-Upstream-Signature"


def sign(body: bytes, secret: str) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of the body with the domain's secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def escape_mrkdwn(text: str) -> str:
    """User text for Slack mrkdwn: ``&``, ``<`` and ``>`` escaped (Slack's rule), so a title
    cannot form a link (``<https://evil|Reset your password>``) or a mention (``<!channel>``),
    and ``://`` broken with a zero-width space so a bare URL is not turned into a link either."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("://", ":\u200b//")


def body_for(notification: Notification) -> bytes:
    """Slack's incoming-webhook JSON: a plain `text` and the same as `blocks`. Only the link
    Upstream adds is markup; the message (which carries user text) is escaped."""
    link = link_for(notification)
    text = f"{escape_mrkdwn(notification.message)} <{link}|Open in Upstream>"
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
            response = outbound.post(domain.webhook_url, data=body, headers=headers)
        except outbound.UnsafeDestination as exc:
            raise ChannelError(f"Webhook refused: {exc}", permanent=True) from exc
        except outbound.DeadlineExceeded as exc:
            raise ChannelError(f"Webhook too slow: {exc}") from exc
        except requests.RequestException as exc:
            raise ChannelError(f"Webhook unreachable: {exc.__class__.__name__}: {exc}") from exc
        if 300 <= response.status_code < 400:
            raise ChannelError(
                f"Webhook answered a redirect ({response.status_code}); redirects are not "
                "followed: save the final URL.",
                permanent=True,
            )
        if response.status_code >= 500 or response.status_code == 429:
            raise ChannelError(f"Webhook answered {response.status_code}: {response.text[:200]}")
        if response.status_code >= 400:
            raise ChannelError(
                f"Webhook refused it ({response.status_code}): {response.text[:200]}",
                permanent=True,
            )
