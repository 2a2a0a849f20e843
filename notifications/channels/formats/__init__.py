"""Body formats of subscription deliveries. Each module turns the versioned event envelope
(`notifications.subscriptions.envelope`) into the JSON its receiver expects; `render` picks one."""

from __future__ import annotations

import json

from notifications.channels.formats import json_envelope, slack, teams

FORMATS = {"json": json_envelope.render, "slack": slack.render, "teams": teams.render}


def render(fmt: str, envelope: dict) -> bytes:
    """The request body for a delivery in format ``fmt`` (compact JSON, UTF-8)."""
    return json.dumps(FORMATS[fmt](envelope), separators=(",", ":"), ensure_ascii=False).encode()
