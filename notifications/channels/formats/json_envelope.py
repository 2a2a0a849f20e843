"""The `json` format: the versioned envelope itself (docs/webhooks/envelope.schema.json)."""

from __future__ import annotations


def render(envelope: dict) -> dict:
    """The envelope as is: ``{version, id, type, occurred_at, data}``."""
    return envelope
