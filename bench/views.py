"""Bench-only endpoints (mounted only when BENCH_ENDPOINTS=1): the reference points of the list.

- floor: the same authenticated list as a bare Django view: the same token check, the same page
  of rows (with the total) through one SQL statement, orjson. What the list could cost at best.
- peer: the same list as a competent team writes it by default: ModelViewSet + ModelSerializer
  + DjangoFilterBackend, with `select_related` (no N+1).
- textbook (for the record): the peer without `select_related` (one query per row and relation).
- ceiling (for the record): a precomputed body, no authentication, no database.
None is used by the product.
"""

from __future__ import annotations

from pathlib import Path

import orjson
from django.db import connection
from django.http import HttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers, viewsets
from rest_framework.pagination import PageNumberPagination

from accounts.services.tokens import api_token_authenticate
from products.models import DataProduct, Domain
from requests_app.models import DataRequest, RoadmapCycle

CEILING_BODY = Path(__file__).resolve().parent / "results" / "ceiling_body.json"
_body: bytes | None = None


def ceiling(request):
    """Serve the precomputed body; nothing else happens."""
    global _body
    if _body is None:
        _body = CEILING_BODY.read_bytes() if CEILING_BODY.exists() else b'{"results": []}'
    return HttpResponse(_body, content_type="application/json")


class _Domain(serializers.ModelSerializer):
    class Meta:
        model = Domain
        fields = ["id", "slug", "name"]


class _Cycle(serializers.ModelSerializer):
    class Meta:
        model = RoadmapCycle
        fields = ["id", "slug", "name"]


class _Product(serializers.ModelSerializer):
    class Meta:
        model = DataProduct
        fields = ["id", "slug", "name"]


class _User(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class TextbookRequestSerializer(serializers.ModelSerializer):
    requester = _User()
    requesting_domain = _Domain()
    target_domain = _Domain()
    data_product = _Product()
    needed_by_cycle = _Cycle()
    planned_cycle = _Cycle()

    class Meta:
        model = DataRequest
        fields = [
            "id", "title", "status", "requester", "requesting_domain", "target_domain",
            "data_product", "needed_by_cycle", "planned_cycle", "urgency", "effort", "score",
            "rank", "is_late", "lead_time_days", "version",
        ]  # fmt: skip


class TextbookPagination(PageNumberPagination):
    page_size = 50


class TextbookRequestViewSet(viewsets.ModelViewSet):
    queryset = DataRequest.objects.all()
    serializer_class = TextbookRequestSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = {"target_domain__slug": ["exact"], "status": ["exact"]}
    pagination_class = TextbookPagination


class PeerRequestViewSet(TextbookRequestViewSet):
    """The textbook list with the one line a competent team adds: the relations joined."""

    queryset = DataRequest.objects.select_related(
        "requester",
        "requesting_domain",
        "target_domain",
        "data_product",
        "needed_by_cycle",
        "planned_cycle",
    )


# The page first (an index walk that stops at 50 rows), then its names; the total by an indexed
# count. (A window count over the joined rows made the floor read every match at `large`.)
FLOOR_SQL = """
WITH d AS (SELECT id FROM products_domain WHERE slug = %(domain)s)
SELECT r.id, r.title, r.status, r.urgency, r.effort, r.score, r.rank, r.is_late,
       r.lead_time_days, r.version, r.demand, r.endorsement_count, r.submitted_at, r.created_at,
       u.username, rd.slug, td.slug, p.slug, nc.slug, pc.slug,
       (SELECT COUNT(*) FROM requests_app_datarequest c
        WHERE c.target_domain_id = (SELECT id FROM d) AND c.status = %(status)s)
FROM (
  SELECT * FROM requests_app_datarequest
  WHERE target_domain_id = (SELECT id FROM d) AND status = %(status)s
  ORDER BY id DESC LIMIT 50
) r
JOIN products_domain td ON td.id = r.target_domain_id
JOIN auth_user u ON u.id = r.requester_id
LEFT JOIN products_domain rd ON rd.id = r.requesting_domain_id
LEFT JOIN products_dataproduct p ON p.id = r.data_product_id
LEFT JOIN requests_app_roadmapcycle nc ON nc.id = r.needed_by_cycle_id
LEFT JOIN requests_app_roadmapcycle pc ON pc.id = r.planned_cycle_id
ORDER BY r.id DESC
"""
FLOOR_KEYS = (
    "id", "title", "status", "urgency", "effort", "score", "rank", "is_late", "lead_time_days",
    "version", "demand", "endorsement_count", "submitted_at", "created_at", "requester",
    "requesting_domain", "target_domain", "data_product", "needed_by_cycle", "planned_cycle",
)  # fmt: skip


def floor(request):
    """The list at its floor: token check, one SQL statement, orjson."""
    kind, _, key = request.headers.get("Authorization", "").partition(" ")
    if kind != "Token" or api_token_authenticate(key=key.strip()) is None:
        return HttpResponse(status=401, headers={"WWW-Authenticate": "Token"})
    with connection.cursor() as cursor:
        cursor.execute(
            FLOOR_SQL,
            {
                "domain": request.GET.get("target_domain", ""),
                "status": request.GET.get("status", ""),
            },
        )
        rows = cursor.fetchall()
    body = {
        "count": rows[0][-1] if rows else 0,
        "results": [dict(zip(FLOOR_KEYS, row, strict=False)) for row in rows],
    }
    return HttpResponse(orjson.dumps(body), content_type="application/json")
