"""Bench-only endpoints (mounted only when BENCH_ENDPOINTS=1): the ceiling and the textbook peer.

The ceiling returns a precomputed JSON body the size of a request-list page: what Django and
gunicorn can serve at best on this machine. The peer is the same list built the textbook way
(ModelViewSet + nested ModelSerializers + DjangoFilterBackend, no tuning): what a team gets by
default. Neither is used by the product.
"""

from __future__ import annotations

from pathlib import Path

from django.http import HttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers, viewsets
from rest_framework.pagination import PageNumberPagination

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
