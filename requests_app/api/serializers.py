"""Shapes of requests, cycles, comments and events in the v1 API (format only; rules are in services).

Domains and cycles are referred to by slug, requests and products by id. Write serializers only
parse and type-check; the services decide what is allowed.
"""

from __future__ import annotations

from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from products.models import DataProduct, Domain
from requests_app import lifecycle
from requests_app.models import DataRequest, RoadmapCycle
from requests_app.selectors import request_row_names
from requests_app.services.rules import MAX_EFFORT, MAX_REASON, MAX_TEXT


def _slug_field(queryset, what: str, **kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="slug",
        queryset=queryset,
        error_messages={
            "does_not_exist": gettext("No %(what)s with slug {value}.") % {"what": what},
            "invalid": gettext("Give the %(what)s as its slug (text).") % {"what": what},
        },
        **kwargs,
    )


def _id_field(queryset, what: str, **kwargs) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
        queryset=queryset,
        error_messages={
            "does_not_exist": gettext("No %(what)s with id {pk_value}.") % {"what": what},
            "incorrect_type": gettext(
                "Give the %(what)s as its id (a whole number), not {data_type}."
            )
            % {"what": what},
        },
        **kwargs,
    )


# --- cycles ------------------------------------------------------------------------------------


class CycleSerializer(serializers.ModelSerializer):
    """A roadmap cycle, with whether requests for it still count as early."""

    is_open_for_early_requests = serializers.BooleanField(read_only=True)
    days_to_deadline = serializers.IntegerField(
        read_only=True,
        help_text=gettext_lazy("Days until the request deadline; negative once passed."),
    )
    request_count = serializers.IntegerField(
        read_only=True,
        required=False,
        help_text=gettext_lazy("Submitted requests needing this cycle."),
    )
    late_count = serializers.IntegerField(read_only=True, required=False)
    planned_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = RoadmapCycle
        fields = [
            "name",
            "slug",
            "starts_on",
            "ends_on",
            "request_deadline",
            "review_on",
            "is_open_for_early_requests",
            "days_to_deadline",
            "request_count",
            "late_count",
            "planned_count",
        ]


class CycleWriteSerializer(serializers.Serializer):
    """Staff create or edit a cycle (the service checks the dates' order)."""

    name = serializers.CharField(max_length=40)
    slug = serializers.SlugField(max_length=40, required=False)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    request_deadline = serializers.DateField()
    review_on = serializers.DateField(required=False, allow_null=True)


# --- requests ----------------------------------------------------------------------------------


class DataRequestSerializer(serializers.ModelSerializer):
    """A data request as clients see it, with the actions the caller may take on it now."""

    key = serializers.CharField(read_only=True)
    requester = serializers.CharField(source="requester.username", read_only=True)
    # A draft may lack any of these: the schema says they can be null.
    requesting_domain = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    target_domain = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    needed_by_cycle = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    planned_cycle = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    data_product = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    duplicate_of = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    delivered_product = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    allowed_actions = serializers.SerializerMethodField()
    can_edit = serializers.SerializerMethodField()

    class Meta:
        model = DataRequest
        fields = [
            "id",
            "key",
            "title",
            "status",
            "requester",
            "requesting_domain",
            "target_domain",
            "data_product",
            "proposed_product_name",
            "needed_by_cycle",
            "planned_cycle",
            "urgency",
            "effort",
            "reach",
            "impact",
            "confidence",
            "score",
            "rank",
            "is_late",
            "lead_time_days",
            "description",
            "business_need",
            "decision_reason",
            "duplicate_of",
            "delivered_product",
            "created_at",
            "submitted_at",
            "triaged_at",
            "decided_at",
            "delivered_at",
            "version",
            "demand",
            "endorsement_count",
            "allowed_actions",
            "can_edit",
        ]
        read_only_fields = fields

    def _user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=list(lifecycle.ACTIONS)))
    )
    def get_allowed_actions(self, obj: DataRequest) -> list[str]:
        return lifecycle.allowed_actions(self._user(), obj)

    def get_can_edit(self, obj: DataRequest) -> bool:
        return lifecycle.can_edit(self._user(), obj)


class _Facts(NamedTuple):
    """What ``lifecycle`` reads of a request to decide a caller's roles and actions."""

    status: str
    requester_id: int
    target_domain_id: int | None


_IMPACT = DataRequestSerializer().fields["impact"]


def request_rows(rows: list[dict], user) -> list[dict]:
    """The list's fast path: `selectors.request_list_values` rows in exactly the shape
    `DataRequestSerializer` gives (a test holds the two equal), without model instances."""
    names = request_row_names(rows)
    domain, cycle, username = names["domain"].get, names["cycle"].get, names["user"].get
    tz = timezone.get_current_timezone()

    def when(value):
        if value is None:
            return None
        text = value.astimezone(tz).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    out = []
    for r in rows:
        facts = _Facts(r["status"], r["requester_id"], r["target_domain_id"])
        impact = r["impact"]
        out.append(
            {
                "id": r["id"],
                "key": f"DR-{r['id']}",
                "title": r["title"],
                "status": r["status"],
                "requester": username(r["requester_id"]),
                "requesting_domain": domain(r["requesting_domain_id"]),
                "target_domain": domain(r["target_domain_id"]),
                "data_product": r["data_product_id"],
                "proposed_product_name": r["proposed_product_name"],
                "needed_by_cycle": cycle(r["needed_by_cycle_id"]),
                "planned_cycle": cycle(r["planned_cycle_id"]),
                "urgency": r["urgency"],
                "effort": r["effort"],
                "reach": r["reach"],
                "impact": None if impact is None else _IMPACT.to_representation(impact),
                "confidence": r["confidence"],
                "score": r["score"],
                "rank": r["rank"],
                "is_late": r["is_late"],
                "lead_time_days": r["lead_time_days"],
                "description": r["description"],
                "business_need": r["business_need"],
                "decision_reason": r["decision_reason"],
                "duplicate_of": r["duplicate_of_id"],
                "delivered_product": r["delivered_product_id"],
                "created_at": when(r["created_at"]),
                "submitted_at": when(r["submitted_at"]),
                "triaged_at": when(r["triaged_at"]),
                "decided_at": when(r["decided_at"]),
                "delivered_at": when(r["delivered_at"]),
                "version": r["version"],
                "demand": r["demand"],
                "endorsement_count": r["endorsement_count"],
                "allowed_actions": lifecycle.allowed_actions(user, facts),
                "can_edit": lifecycle.can_edit(user, facts),
            }
        )
    return out


class DataRequestWriteSerializer(serializers.Serializer):
    """Fields a requester files or edits. ``submit: true`` files and submits at once."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=MAX_TEXT, allow_blank=True, required=False)
    business_need = serializers.CharField(max_length=MAX_TEXT, allow_blank=True, required=False)
    requesting_domain = _slug_field(Domain.objects.all(), "domain", required=False, allow_null=True)
    target_domain = _slug_field(Domain.objects.all(), "domain", required=False, allow_null=True)
    data_product = _id_field(
        DataProduct.objects.all(), "data product", required=False, allow_null=True
    )
    proposed_product_name = serializers.CharField(max_length=150, allow_blank=True, required=False)
    needed_by_cycle = _slug_field(
        RoadmapCycle.objects.all(), "cycle", required=False, allow_null=True
    )
    urgency = serializers.ChoiceField(choices=DataRequest.Urgency.choices, required=False)


class DataRequestCreateSerializer(DataRequestWriteSerializer):
    submit = serializers.BooleanField(
        default=False,
        help_text=gettext_lazy("File and submit at once (needs business_need, target, cycle)."),
    )


class DataRequestUpdateSerializer(DataRequestWriteSerializer):
    title = serializers.CharField(max_length=200, required=False)
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text=gettext_lazy("The version you edited; a stale one answers 409."),
    )


class TransitionSerializer(serializers.Serializer):
    """Inputs of a lifecycle action; each action reads only those it needs."""

    reason = serializers.CharField(
        max_length=MAX_REASON,
        allow_blank=True,
        required=False,
        help_text=gettext_lazy("decline, defer, withdraw"),
    )
    planned_cycle = _slug_field(
        RoadmapCycle.objects.all(),
        "cycle",
        required=False,
        allow_null=True,
        help_text=gettext_lazy("accept, defer"),
    )
    effort = serializers.IntegerField(
        min_value=1,
        max_value=MAX_EFFORT,
        required=False,
        allow_null=True,
        help_text=gettext_lazy("accept"),
    )
    duplicate_of = _id_field(
        DataRequest.objects.all(),
        "request",
        required=False,
        allow_null=True,
        help_text=gettext_lazy("mark_duplicate"),
    )
    delivered_product = _id_field(
        DataProduct.objects.all(),
        "data product",
        required=False,
        allow_null=True,
        help_text=gettext_lazy("deliver"),
    )
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text=gettext_lazy("The version you acted on; a stale one answers 409."),
    )


# --- discussion and audit trail ----------------------------------------------------------------


class SimilarProductSerializer(serializers.ModelSerializer):
    domain = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = DataProduct
        fields = ["id", "name", "slug", "domain", "status", "description"]
        read_only_fields = fields


class SimilarSerializer(serializers.Serializer):
    """Open requests and live data products that may already answer a need."""

    requests = DataRequestSerializer(many=True)
    data_products = SimilarProductSerializer(many=True)


# --- the signed-in user ------------------------------------------------------------------------


class MeSerializer(serializers.ModelSerializer):
    """The signed-in user and the domains they belong to (``lead_of`` ⊆ ``domains``)."""

    domains = serializers.SerializerMethodField()
    lead_of = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "domains",
            "lead_of",
        ]
        read_only_fields = fields

    def get_domains(self, obj) -> list[str]:
        return [d.slug for d in self.context["domains"]["all"]]

    def get_lead_of(self, obj) -> list[str]:
        return [d.slug for d in self.context["domains"]["lead"]]


class SimilarQuerySerializer(serializers.Serializer):
    """``?q=&target_domain=`` of the similar-needs search."""

    q = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    target_domain = _slug_field(Domain.objects.all(), "domain", required=False, allow_null=True)
