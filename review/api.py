"""The quarterly review API: live figures (JSON, CSV), freezing a snapshot, reading snapshots.

Anyone signed in reads the review; only staff freeze it (the service checks).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from requests_app.models import RoadmapCycle
from review import exports, selectors, services
from review.models import ReviewSnapshot


def snapshot_json(snapshot: ReviewSnapshot, *, with_data: bool = True) -> dict:
    """A snapshot as the API shows it."""
    body = {
        "id": snapshot.pk,
        "cycle": snapshot.cycle.slug,
        "status": snapshot.status,
        "progress": snapshot.progress,
        "error": snapshot.error,
        "created_at": snapshot.created_at,
        "finished_at": snapshot.finished_at,
        "url": reverse("api-review-snapshot", args=[snapshot.cycle.slug, snapshot.pk]),
    }
    if with_data:
        body["data"] = snapshot.data or None
    return body


class ReviewView(APIView):
    """GET the live review of a cycle, with a pointer to its latest frozen snapshot."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, slug: str):
        cycle = get_object_or_404(RoadmapCycle, slug=slug)
        latest = selectors.snapshot_latest(cycle=cycle)
        review = selectors.review_for(cycle=cycle)
        review["latest_snapshot"] = snapshot_json(latest, with_data=False) if latest else None
        return Response(review)


class _JSONErrorsOnly(BaseContentNegotiation):
    """The CSV view answers CSV itself; errors are JSON whatever the client's Accept header."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ReviewCsvView(APIView):
    """GET the live review as CSV: one row per figure, by scope (overall, domain, team,
    dependency, most asked, coverage, not made it); see `review.exports`."""

    content_negotiation_class = _JSONErrorsOnly

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request, slug: str):
        cycle = get_object_or_404(RoadmapCycle, slug=slug)
        body = exports.review_csv(selectors.review_for(cycle=cycle))
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="review-{cycle.slug}.csv"'
        return response


class ReviewFreezeView(APIView):
    """POST (staff): freeze the review; answers 202 with the snapshot computing in the background."""

    @extend_schema(request=None, responses={202: OpenApiTypes.OBJECT})
    def post(self, request, slug: str):
        cycle = get_object_or_404(RoadmapCycle, slug=slug)
        snapshot = services.review_freeze(cycle=cycle, actor=request.user)
        snapshot.refresh_from_db()  # the eager task may already have finished it
        return Response(snapshot_json(snapshot, with_data=False), status=status.HTTP_202_ACCEPTED)


class ReviewSnapshotView(APIView):
    """GET a snapshot of the cycle: status, progress and, once done, its figures."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, slug: str, pk: int):
        snapshot = get_object_or_404(
            ReviewSnapshot.objects.select_related("cycle"), pk=pk, cycle__slug=slug
        )
        return Response(snapshot_json(snapshot))


# More specific than the requests router's `cycles/{slug}/`: listed before it in api/urls.py.
