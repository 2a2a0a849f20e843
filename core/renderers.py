"""The API's JSON renderer (its own module: DRF imports renderers while loading its settings)."""

from __future__ import annotations

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder


class ORJSONRenderer(JSONRenderer):
    """DRF's JSON, written by orjson: the same compact UTF-8 bytes, several times faster on list
    pages. Whatever orjson does not know natively (Decimal, lazy text…) goes through DRF's own
    encoder, so the output stays what clients already parse."""

    _fallback = JSONEncoder().default

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if accepted_media_type and "indent=" in accepted_media_type:
            return super().render(data, accepted_media_type, renderer_context)
        return orjson.dumps(
            data, default=self._fallback, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS
        )
