"""v1 API for subscriptions: `subscriptions/` GET/POST, `subscriptions/{id}/` GET/PATCH/DELETE,
`subscriptions/{id}/test/` POST and the envelope's JSON Schema at `subscriptions/schema/`."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from notifications.models import Subscription
from notifications.subscriptions import selectors, services
from products.models import Domain

SCHEMA_PATH = Path(settings.BASE_DIR) / "docs" / "webhooks" / "envelope.schema.json"


class SubscriptionSerializer(serializers.ModelSerializer):
    """A subscription as its managers see it (never its secret)."""

    domain = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Subscription
        fields = [
            "id",
            "domain",
            "url",
            "format",
            "events",
            "active",
            "paused_reason",
            "failing_since",
            "last_error",
            "created_at",
        ]
        read_only_fields = fields


class SubscriptionCreatedSerializer(SubscriptionSerializer):
    """The answer to a new subscription: once only, with its signing ``secret``."""

    secret = serializers.CharField(read_only=True)

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class SubscriptionWriteSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=500)
    format = serializers.ChoiceField(choices=Subscription.Format.choices)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=Subscription.Event.choices), max_length=20
    )
    domain = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Domain.objects.all(),
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "The domain whose events it hears; null (staff only): every domain."
        ),
    )
    active = serializers.BooleanField(
        required=False, help_text=gettext_lazy("true resumes a paused one.")
    )


class TestResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    status = serializers.IntegerField(allow_null=True)
    body = serializers.CharField(allow_blank=True)
    error = serializers.CharField(allow_blank=True)


def _visible(request, pk: int) -> Subscription:
    """A subscription the caller manages (404 for the others: they cannot see it)."""
    return get_object_or_404(selectors.subscriptions_for(user=request.user), pk=pk)


class SubscriptionListView(APIView):
    """Outbound event subscriptions the caller manages; create one (the secret is answered
    once). Leads subscribe their domain; staff any domain, or every domain (``domain: null``)."""

    @extend_schema(
        parameters=[OpenApiParameter("domain", OpenApiTypes.STR, description="Domain slug.")],
        responses={200: SubscriptionSerializer(many=True)},
    )
    def get(self, request):
        domain = None
        if slug := request.query_params.get("domain"):
            domain = get_object_or_404(Domain, slug=slug[:100])
        found = selectors.subscriptions_for(user=request.user, domain=domain)[:200]
        return Response(SubscriptionSerializer(found, many=True).data)

    @extend_schema(
        request=SubscriptionWriteSerializer, responses={201: SubscriptionCreatedSerializer}
    )
    def post(self, request):
        body = SubscriptionWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = {k: v for k, v in body.validated_data.items() if k != "active"}
        subscription, secret = services.subscription_create(actor=request.user, **data)
        subscription.secret = secret
        answer = SubscriptionCreatedSerializer(subscription).data
        return Response(answer, status=status.HTTP_201_CREATED)


class SubscriptionDetailView(APIView):
    """One subscription: read, change (URL, format, events, resume), delete."""

    @extend_schema(responses={200: SubscriptionSerializer})
    def get(self, request, pk: int):
        return Response(SubscriptionSerializer(_visible(request, pk)).data)

    @extend_schema(request=SubscriptionWriteSerializer, responses={200: SubscriptionSerializer})
    def patch(self, request, pk: int):
        subscription = _visible(request, pk)
        body = SubscriptionWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = {k: v for k, v in body.validated_data.items() if k != "domain"}
        subscription = services.subscription_update(
            subscription=subscription, actor=request.user, **data
        )
        return Response(SubscriptionSerializer(subscription).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        services.subscription_delete(subscription=_visible(request, pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SubscriptionTestView(APIView):
    """Send a signed `test` event now and answer what the receiver said."""

    @extend_schema(request=None, responses={200: TestResultSerializer})
    def post(self, request, pk: int):
        result = services.subscription_send_test(
            subscription=_visible(request, pk), actor=request.user
        )
        return Response(TestResultSerializer(result).data)


@cache
def envelope_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text())


class SubscriptionSchemaView(APIView):
    """The JSON Schema (draft 2020-12) of the versioned envelope every delivery carries."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(envelope_schema())
