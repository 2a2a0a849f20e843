"""Reads of demand shared by the request pages and the API: who else needs a request."""

from __future__ import annotations

from django.db.models import QuerySet

from requests_app.models import DataRequest, Endorsement


def request_endorsements(*, data_request: DataRequest) -> QuerySet[Endorsement]:
    """Who else needs a request: its endorsements, oldest first, with user, team and cycle."""
    return data_request.endorsements.select_related(
        "user", "requesting_domain", "needed_by_cycle"
    ).order_by("created_at", "pk")
