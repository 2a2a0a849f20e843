"""Catalog API: thin viewsets over the catalog selectors, FilterSets and services."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from products import selectors, services
from products.api import serializers as s
from products.filters import DataProductFilter, DomainFilter
from products.interchange import export
from products.models import ConsumerRequest, Domain


@extend_schema_view(
    partial_update=extend_schema(request=s.DomainWriteSerializer, responses=s.DomainSerializer)
)
class DomainViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Producing domains, by slug. Everyone signed in reads; staff create and edit; a domain's
    leads edit its description, contact, webhook and capacity."""

    lookup_field = "slug"
    filter_backends = [DjangoFilterBackend]
    filterset_class = DomainFilter

    def get_queryset(self):
        return selectors.domain_detail().order_by("name")

    def get_serializer_class(self):
        return (
            s.DomainWriteSerializer
            if self.action in ("create", "update", "partial_update")
            else s.DomainSerializer
        )

    @extend_schema(request=s.DomainWriteSerializer, responses={201: s.DomainSerializer})
    def create(self, request, *args, **kwargs):
        services.domain_check_create(actor=request.user)
        data = self._parse(request)
        domain = services.domain_create(actor=request.user, **data)
        return self._answer(domain, status.HTTP_201_CREATED)

    @extend_schema(request=s.DomainWriteSerializer, responses=s.DomainSerializer)
    def update(self, request, *args, **kwargs):
        domain = self.get_object()
        data = self._parse(request, partial=True)
        domain = services.domain_update(domain=domain, actor=request.user, **data)
        return self._answer(domain)

    def _parse(self, request, partial: bool = False) -> dict:
        serializer = s.DomainWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _answer(self, domain: Domain, code: int = status.HTTP_200_OK) -> Response:
        domain = self.get_queryset().get(pk=domain.pk)
        return Response(
            s.DomainSerializer(domain, context=self.get_serializer_context()).data, status=code
        )


@extend_schema_view(
    partial_update=extend_schema(
        request=s.DataProductWriteSerializer, responses=s.DataProductDetailSerializer
    )
)
class DataProductViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The catalog. Everyone signed in reads; leads and members of the owning domain (or staff)
    publish and edit; status changes follow the governance rules."""

    filter_backends = [DjangoFilterBackend]
    filterset_class = DataProductFilter

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.product_detail()
        return selectors.product_list()

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return s.DataProductWriteSerializer
        if self.action == "retrieve":
            return s.DataProductDetailSerializer
        return s.DataProductSerializer

    @extend_schema(
        request=s.DataProductWriteSerializer, responses={201: s.DataProductDetailSerializer}
    )
    def create(self, request, *args, **kwargs):
        data = self._parse(request)
        product = services.product_create(actor=request.user, **data)
        return self._answer(product, status.HTTP_201_CREATED)

    @extend_schema(request=s.DataProductWriteSerializer, responses=s.DataProductDetailSerializer)
    def update(self, request, *args, **kwargs):
        product = self.get_object()
        data = self._parse(request, instance=product)
        product = services.product_update(product=product, actor=request.user, **data)
        return self._answer(product)

    @extend_schema(
        request=s.ConsumerWriteSerializer, responses={201: s.DataProductDetailSerializer}
    )
    @action(detail=True, methods=["post"], url_path="consumers")
    def add_consumer(self, request, pk=None):
        """Register a domain as a consumer of this product."""
        product = self.get_object()
        serializer = s.ConsumerWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.consumer_add(product=product, actor=request.user, **serializer.validated_data)
        return self._answer(product, status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={200: s.ConsumerRequestSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        request=s.ConsumerRequestWriteSerializer,
        responses={201: s.ConsumerRequestSerializer},
    )
    # At most 100 asks, newest first: a plain list, not a page.
    @action(
        detail=True, methods=["get", "post"], url_path="consumers/requests", pagination_class=None
    )
    def consumer_requests(self, request, pk=None):
        """Consume instead: a team asks to consume this product (POST); the asks, newest first."""
        product = self.get_object()
        if request.method == "POST":
            serializer = s.ConsumerRequestWriteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            asked = services.consumer_request_create(
                product=product, actor=request.user, **serializer.validated_data
            )
            return Response(s.ConsumerRequestSerializer(asked).data, status=status.HTTP_201_CREATED)
        asks = product.consumer_requests.select_related("domain", "requested_by")[:100]
        return Response(s.ConsumerRequestSerializer(asks, many=True).data)

    @extend_schema(
        request=s.ConsumerDecisionSerializer, responses={200: s.ConsumerRequestSerializer}
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"consumers/requests/(?P<rid>[0-9]{1,12})/decide",
        url_name="consumer-request-decide",
    )
    def decide_consumer_request(self, request, pk=None, rid=None):
        """The producing domain's leads confirm or decline an ask (a decline needs a reason)."""
        product = self.get_object()
        asked = get_object_or_404(ConsumerRequest, pk=rid, product=product)
        serializer = s.ConsumerDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        asked = services.consumer_request_decide(
            consumer_request=asked, actor=request.user, **serializer.validated_data
        )
        return Response(s.ConsumerRequestSerializer(asked).data)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"consumers/(?P<domain_slug>[-\w]+)")
    def remove_consumer(self, request, pk=None, domain_slug=None):
        """The domain no longer consumes this product."""
        product = self.get_object()
        domain = get_object_or_404(Domain, slug=domain_slug)
        services.consumer_remove(product=product, domain=domain, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={(200, "application/yaml"): OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"], url_path="odps")
    def odps(self, request, pk=None):
        """This product as an ODPS (Bitol) YAML document."""
        product = get_object_or_404(export.export_products(), pk=self.get_object().pk)
        response = HttpResponse(export.dump(export.odps_doc(product)), "application/yaml")
        response["Content-Disposition"] = f'inline; filename="{product.slug}.odps.yaml"'
        return response

    def _parse(self, request, instance=None) -> dict:
        serializer = s.DataProductWriteSerializer(
            instance, data=request.data, partial=instance is not None
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _answer(self, product, code: int = status.HTTP_200_OK) -> Response:
        product = selectors.product_detail().get(pk=product.pk)
        return Response(
            s.DataProductDetailSerializer(product, context=self.get_serializer_context()).data,
            status=code,
        )
