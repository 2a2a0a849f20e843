"""The versioned event envelope every subscription delivery carries (the `json` format sends it
as is; `slack` and `teams` render it). Schema: docs/webhooks/envelope.schema.json, also served at
`GET /api/v1/subscriptions/schema/`. Version 1 fields: ``version``, ``id`` (unique per delivery,
the same on a retry), ``type`` (the event kind), ``occurred_at`` (ISO 8601), ``data``."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.utils import timezone

from notifications.models import Subscription
from requests_app.api.serializers import request_rows
from requests_app.models import DataRequest, RequestEvent
from requests_app.selectors import request_list_values

VERSION = "1"
E = RequestEvent.Kind
T = Subscription.Event
# The subscription event each request event is.
TYPE_OF_REQUEST_EVENT: dict[str, str] = {
    E.SUBMIT: T.SUBMITTED,
    E.ENDORSED: T.ENDORSED,
    E.TRIAGE: T.TRIAGED,
    E.ACCEPT: T.ACCEPTED,
    E.DECLINE: T.DECLINED,
    E.DEFER: T.DEFERRED,
    E.MARK_DUPLICATE: T.DUPLICATE,
    E.DELIVER: T.DELIVERED,
    E.COMMENTED: T.COMMENTED,
    E.WORK_ITEM_DONE: T.WORK_ITEM_DONE,
}


def delivery_id(dedupe_key: str) -> str:
    """A stable UUID for one delivery: a retry of the same row carries the same id."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"upstream:{dedupe_key}"))


def when(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def request_data(data_request: DataRequest) -> dict:
    """The request exactly as `GET /api/v1/requests/{id}/` shows it to someone with no role."""
    rows = list(request_list_values(DataRequest.objects.filter(pk=data_request.pk)))
    return request_rows(rows, None)[0] if rows else {"id": data_request.pk}


def build(
    *,
    type_: str,
    occurred_at: dt.datetime | None,
    message: str,
    path: str,
    request: dict | None = None,
    **extra,
) -> dict:
    """An envelope without its ``id`` (each delivery row adds its own)."""
    data = {"message": message, "url": f"{settings.SITE_URL}{path}", "request": request, **extra}
    return {
        "version": VERSION,
        "type": type_,
        "occurred_at": when(occurred_at or timezone.now()),
        "data": data,
    }


def with_id(envelope: dict, dedupe_key: str) -> dict:
    return {"version": envelope["version"], "id": delivery_id(dedupe_key), **envelope}
