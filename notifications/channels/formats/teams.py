"""The `teams` format: an Adaptive Card in the message shape Microsoft Teams' incoming webhooks
and the Workflows "post to a channel when a webhook request is received" template accept:
``{"type": "message", "attachments": [{"contentType":
"application/vnd.microsoft.card.adaptive", "content": {AdaptiveCard 1.4}}]}``.

TextBlocks render a Markdown subset whose only active element is the link ``[text](url)``, and
they show backslashes literally, so user text has its ``](`` broken with a zero-width space: it
reads the same and can never form a link (our own link is the card's action button)."""

from __future__ import annotations

import re

CARD_VERSION = "1.4"  # the newest Adaptive Card version Teams renders everywhere
_LINK = re.compile(r"\]\s*\(")


def escape(text: str) -> str:
    """User text that cannot form a Markdown link: ``[x](https://evil)`` stays plain text."""
    return _LINK.sub("]\u200b(", str(text))


def render(envelope: dict) -> dict:
    data = envelope["data"]
    request = data.get("request") or {}
    body: list[dict] = [
        {
            "type": "TextBlock",
            "text": escape(data.get("message", "")),
            "wrap": True,
            "weight": "Bolder",
        }
    ]
    facts = [
        {"title": label, "value": escape(request[field])}
        for label, field in (
            ("Status", "status"),
            ("To", "target_domain"),
            ("From", "requesting_domain"),
        )
        if request.get(field)
    ]
    if facts:
        body.append({"type": "FactSet", "facts": facts})
    body.append(
        {
            "type": "TextBlock",
            "text": f"Upstream · {escape(envelope['type'])}",
            "isSubtle": True,
            "size": "Small",
            "wrap": True,
        }
    )
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": CARD_VERSION,
        "body": body,
    }
    if data.get("url"):
        card["actions"] = [
            {"type": "Action.OpenUrl", "title": "Open in Upstream", "url": data["url"]}
        ]
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }
