"""The API's orjson renderer writes what DRF's own JSON renderer writes."""

import datetime as dt
import json
from decimal import Decimal

from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ErrorDetail
from rest_framework.renderers import JSONRenderer

from core.renderers import ORJSONRenderer


def test_orjson_output_parses_to_what_drf_writes():
    data = {
        "text": "café ✓",
        "lazy": gettext_lazy("Not found."),
        "error": ErrorDetail("Bad value.", code="invalid"),
        "amount": Decimal("1.50"),
        "when": dt.datetime(2027, 1, 2, 3, 4, 5, 600000, tzinfo=dt.UTC),
        "day": dt.date(2027, 1, 2),
        "by_index": {0: ["first item is wrong"]},
        "nothing": None,
        "ratio": 2.5,
    }
    ours = ORJSONRenderer().render(data, "application/json")
    theirs = JSONRenderer().render(data, "application/json")
    assert json.loads(ours) == json.loads(theirs)
    assert "café ✓".encode() in ours  # UTF-8, not \\u escapes


def test_nothing_renders_as_an_empty_body():
    assert ORJSONRenderer().render(None) == b""
