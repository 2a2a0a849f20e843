"""The `slack` format: Block Kit for Slack incoming webhooks, with a link back to Upstream.

User text (titles, messages, domain names) is escaped for mrkdwn (``&``, ``<``, ``>``), so it
can never form a link or a mention (``<@U…>``, ``<!channel>``); only our own link is a link."""

from __future__ import annotations


def escape(text: str) -> str:
    """Slack's three control characters, as Slack documents them."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(envelope: dict) -> dict:
    """``text`` (the notification fallback) and ``blocks``: the message, facts, a button."""
    data = envelope["data"]
    message = escape(data.get("message", ""))
    link = data.get("url", "")
    request = data.get("request") or {}
    blocks: list[dict] = [{"type": "section", "text": {"type": "mrkdwn", "text": message}}]
    facts = [
        (label, request.get(field))
        for label, field in (
            ("Status", "status"),
            ("To", "target_domain"),
            ("From", "requesting_domain"),
        )
        if request.get(field)
    ]
    if facts:
        blocks.append(
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": f"*{label}*\n{escape(value)}"}
                    for label, value in facts
                ],
            }
        )
    if link:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Open in Upstream"},
                        "url": link,
                    }
                ],
            }
        )
    blocks.append(
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": f"Upstream · {escape(envelope['type'])}"}],
        }
    )
    return {"text": message, "blocks": blocks}
