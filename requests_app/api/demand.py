"""Shapes of demand in the v1 API: endorsements ("we need this too")."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from products.models import DataProduct, Domain
from requests_app.api.serializers import _slug_field
from requests_app.models import DataRequest, Endorsement, RoadmapCycle
from requests_app.services.rules import MAX_TEXT


class EndorsementSerializer(serializers.ModelSerializer):
    """ "We need this too": a team's endorsement of a request, with its own need."""

    user = serializers.CharField(source="user.username", read_only=True)
    requesting_domain = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    needed_by_cycle = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )

    class Meta:
        model = Endorsement
        fields = [
            "id",
            "user",
            "requesting_domain",
            "business_need",
            "urgency",
            "needed_by_cycle",
            "created_at",
        ]
        read_only_fields = fields


class EndorsementWriteSerializer(serializers.Serializer):
    """What an endorser says; ``requesting_domain`` defaults to their only team."""

    requesting_domain = _slug_field(Domain.objects.all(), "domain", required=False, allow_null=True)
    # Blank is let through so the service answers the one message for an empty need.
    business_need = serializers.CharField(max_length=MAX_TEXT, allow_blank=True, required=True)
    urgency = serializers.ChoiceField(choices=DataRequest.Urgency.choices, required=False)
    needed_by_cycle = _slug_field(
        RoadmapCycle.objects.all(), "cycle", required=False, allow_null=True
    )


class AnswerSerializer(serializers.Serializer):
    """Whether a suggested data product answers the request's need (one click)."""

    data_product = serializers.PrimaryKeyRelatedField(
        queryset=DataProduct.objects.select_related("domain"),
        error_messages={"does_not_exist": gettext_lazy("No data product with id {pk_value}.")},
    )
    answers = serializers.BooleanField(
        help_text=gettext_lazy(
            "true: delivered with it (work in progress, by the team) or withdrawn as answered (by the requester); false: not quite."
        )
    )
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)
