"""Reads of work-item links for the request page and the API."""

from __future__ import annotations

from django.db.models import QuerySet

from requests_app.models import DataRequest, WorkItemLink


def request_links(*, data_request: DataRequest) -> QuerySet[WorkItemLink]:
    """A request's links, oldest first (one query)."""
    return WorkItemLink.objects.filter(request=data_request).order_by("created_at", "pk")
