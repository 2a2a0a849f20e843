"""`GET /api/v1/search/?q=`: one box for everything (see `requests_app.search`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from requests_app import search


class SearchView(APIView):
    """Requests (by key or words), data products, domains and people matching ``q``; each group
    at most 10, best first."""

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True, description="Words or a key (DR-12)")
        ],
        responses=inline_serializer(
            "SearchResults",
            fields={
                "query": serializers.CharField(),
                **{
                    group: serializers.ListField(child=serializers.DictField())
                    for group in ("requests", "data_products", "domains", "people")
                },
            },
        ),
    )
    def get(self, request: Request) -> Response:
        query = request.query_params.get("q", "")
        if not query.strip():
            raise ValidationError({"q": _("Give something to search for: ?q=refunds or ?q=DR-12.")})
        if len(query) > search.MAX_QUERY:
            raise ValidationError(
                {"q": _("Keep the search under %(n)s characters.") % {"n": search.MAX_QUERY}}
            )
        return Response(search.search(query=query).as_dict())
