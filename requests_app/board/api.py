"""Prioritization API: the board, reordering, capacity, scoring, planning, the triage inbox."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from products.models import Domain
from requests_app import lifecycle, scoring, services
from requests_app.board import selectors
from requests_app.board import services as board_services
from requests_app.models import DataRequest, RoadmapCycle
from requests_app.services import rules


def resolve_cycle(slug: str | None, field: str = "cycle") -> RoadmapCycle:
    """The cycle named by ``slug``; without one, the current (or next) cycle. 400 names choices."""
    if not slug:
        cycle = services.cycle_current() or services.cycle_next()
        if cycle is None:
            raise ValidationError(
                {field: [gettext("No roadmap cycle exists yet; staff create one first.")]}
            )
        return cycle
    cycle = RoadmapCycle.objects.filter(slug=slug).first()
    if cycle is None:
        valid = ", ".join(RoadmapCycle.objects.order_by("starts_on").values_list("slug", flat=True))
        raise ValidationError(
            {
                field: [
                    gettext("Unknown cycle %(value)s. Valid choices: %(valid)s.")
                    % {"value": repr(slug[:60]), "valid": valid}
                ]
            }
        )
    return cycle


class BoardItemSerializer(serializers.Serializer):
    """A request as a board shows it."""

    id = serializers.IntegerField(source="request.pk")
    key = serializers.CharField(source="request.key")
    title = serializers.CharField(source="request.title")
    status = serializers.CharField(source="request.status")
    rank = serializers.IntegerField(source="request.rank", allow_null=True)
    score = serializers.FloatField(source="request.score", allow_null=True)
    effort = serializers.IntegerField(source="request.effort", allow_null=True)
    reach = serializers.IntegerField(source="request.reach", allow_null=True)
    impact = serializers.DecimalField(
        source="request.impact", max_digits=4, decimal_places=2, allow_null=True
    )
    confidence = serializers.IntegerField(source="request.confidence", allow_null=True)
    urgency = serializers.CharField(source="request.urgency")
    requester = serializers.CharField(source="request.requester.username")
    requesting_domain = serializers.CharField(
        source="request.requesting_domain.slug", allow_null=True, default=None
    )
    is_late = serializers.BooleanField(source="request.is_late", allow_null=True)
    age_days = serializers.IntegerField()
    above_capacity = serializers.BooleanField()
    version = serializers.IntegerField(source="request.version")
    demand = serializers.IntegerField(source="request.demand")
    endorsement_count = serializers.IntegerField(source="request.endorsement_count")
    allowed_actions = serializers.SerializerMethodField()

    def get_allowed_actions(self, item) -> list[str]:
        return lifecycle.allowed_actions(self.context["request"].user, item.request)


class BoardSerializer(serializers.Serializer):
    domain = serializers.CharField(source="domain.slug")
    cycle = serializers.CharField(source="cycle.slug")
    capacity = serializers.IntegerField()
    capacity_is_default = serializers.BooleanField()
    used = serializers.IntegerField()
    planned = serializers.IntegerField()
    remaining = serializers.IntegerField()
    version = serializers.IntegerField()
    count = serializers.IntegerField(help_text=gettext_lazy("Requests on the board, shown or not."))
    truncated = serializers.BooleanField(
        help_text=gettext_lazy("The board holds more than the first %(board_limit)s it shows.")
        % {"board_limit": selectors.BOARD_LIMIT}
    )
    score_formula = serializers.SerializerMethodField()
    requests = BoardItemSerializer(source="items", many=True)

    def get_score_formula(self, board) -> str:
        return scoring.FORMULA


_IMPACT = BoardItemSerializer().fields["impact"]


def board_item_data(item: selectors.BoardItem, user) -> dict:
    """`BoardItemSerializer`'s output, built directly (a board is up to 200 of these; a test
    holds the two equal)."""
    r = item.request
    return {
        "id": r.pk,
        "key": r.key,
        "title": r.title,
        "status": r.status,
        "rank": r.rank,
        "score": r.score,
        "effort": r.effort,
        "reach": r.reach,
        "impact": None if r.impact is None else _IMPACT.to_representation(r.impact),
        "confidence": r.confidence,
        "urgency": r.urgency,
        "requester": r.requester.username,
        "requesting_domain": r.requesting_domain.slug if r.requesting_domain_id else None,
        "is_late": r.is_late,
        "age_days": item.age_days,
        "above_capacity": item.above_capacity,
        "version": r.version,
        "demand": r.demand,
        "endorsement_count": r.endorsement_count,
        "allowed_actions": lifecycle.allowed_actions(user, r),
    }


def board_data(board: selectors.Board, user) -> dict:
    """`BoardSerializer`'s output, built directly."""
    return {
        "domain": board.domain.slug,
        "cycle": board.cycle.slug,
        "capacity": board.capacity,
        "capacity_is_default": board.capacity_is_default,
        "used": board.used,
        "planned": board.planned,
        "remaining": board.remaining,
        "version": board.version,
        "count": board.count,
        "truncated": board.truncated,
        "score_formula": scoring.FORMULA,
        "requests": [board_item_data(item, user) for item in board.items],
    }


class ReorderSerializer(serializers.Serializer):
    cycle = serializers.SlugField()
    order = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), max_length=2000
    )
    version = serializers.IntegerField(min_value=0)


class ReorderResultSerializer(serializers.Serializer):
    version = serializers.IntegerField()


class CapacitySerializer(serializers.Serializer):
    cycle = serializers.SlugField()
    capacity = serializers.IntegerField(min_value=0, max_value=100_000, allow_null=True)


class ScoreSerializer(serializers.Serializer):
    reach = serializers.IntegerField(
        min_value=0, max_value=rules.MAX_REACH, allow_null=True, required=False
    )
    impact = serializers.ChoiceField(
        choices=[str(c) for c in scoring.IMPACT_CHOICES], allow_null=True, required=False
    )
    confidence = serializers.IntegerField(
        min_value=0, max_value=100, allow_null=True, required=False
    )
    effort = serializers.IntegerField(
        min_value=1, max_value=rules.MAX_EFFORT, allow_null=True, required=False
    )
    version = serializers.IntegerField(required=False, allow_null=True)


class PlanSerializer(serializers.Serializer):
    planned_cycle = serializers.SlugField(allow_null=True)


class InboxItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="request.pk")
    key = serializers.CharField(source="request.key")
    title = serializers.CharField(source="request.title")
    requester = serializers.CharField(source="request.requester.username")
    requesting_domain = serializers.CharField(
        source="request.requesting_domain.slug", allow_null=True, default=None
    )
    needed_by_cycle = serializers.CharField(
        source="request.needed_by_cycle.slug", allow_null=True, default=None
    )
    urgency = serializers.CharField(source="request.urgency")
    is_late = serializers.BooleanField(source="request.is_late", allow_null=True)
    # Set by every submission; null only for rows written around the services (imports, fixtures).
    submitted_at = serializers.DateTimeField(source="request.submitted_at", allow_null=True)
    age_working_days = serializers.IntegerField()
    overdue = serializers.BooleanField()
    demand = serializers.IntegerField(source="request.demand")
    endorsement_count = serializers.IntegerField(source="request.endorsement_count")


class InboxSerializer(serializers.Serializer):
    domain = serializers.CharField()
    sla_working_days = serializers.IntegerField()
    count = serializers.IntegerField(help_text="Requests waiting for triage, shown or not.")
    truncated = serializers.BooleanField(
        help_text="More wait than `requests` lists (its first 100)."
    )
    requests = InboxItemSerializer(many=True)


class BulkSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=board_services.BULK_ACTIONS)
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        min_length=1,
        max_length=board_services.MAX_BULK,
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=rules.MAX_REASON)
    planned_cycle = serializers.SlugField(required=False, allow_null=True)
    effort = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=rules.MAX_EFFORT
    )


class BulkResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="request_id")
    key = serializers.CharField()
    ok = serializers.BooleanField()
    message = serializers.CharField()


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class BoardView(APIView):
    """The ranked requests of a domain for a cycle, with capacity, effort used and the cut line."""

    @extend_schema(
        parameters=[OpenApiParameter("cycle", str, description="Cycle slug (default: current)")],
        responses=BoardSerializer,
    )
    def get(self, request, slug: str):
        domain = get_object_or_404(Domain, slug=slug)
        board = selectors.board_for(
            domain=domain, cycle=resolve_cycle(request.query_params.get("cycle"))
        )
        return Response(board_data(board, request.user))


class BoardReorderView(APIView):
    """Rank the board: the new order of the requests it shows (all, or the first BOARD_LIMIT)
    and the version the client saw (409 when stale)."""

    @extend_schema(request=ReorderSerializer, responses=ReorderResultSerializer)
    def post(self, request, slug: str):
        domain = get_object_or_404(Domain, slug=slug)
        board_services.check_lead(request.user, domain, "reorder the board")
        data = _parse(ReorderSerializer, request.data)
        version = board_services.board_reorder(
            domain=domain,
            cycle=resolve_cycle(data["cycle"]),
            order=data["order"],
            version=data["version"],
            actor=request.user,
        )
        return Response({"version": version})


class CapacityView(APIView):
    """Set a domain's capacity for one cycle (null: back to the default)."""

    @extend_schema(request=CapacitySerializer, responses=BoardSerializer)
    def put(self, request, slug: str):
        domain = get_object_or_404(Domain, slug=slug)
        board_services.check_lead(request.user, domain, "set capacity")
        data = _parse(CapacitySerializer, request.data)
        cycle = resolve_cycle(data["cycle"])
        board_services.capacity_set(
            domain=domain, cycle=cycle, capacity=data["capacity"], actor=request.user
        )
        board = selectors.board_for(domain=domain, cycle=cycle)
        return Response(board_data(board, request.user))


def _request_for_lead(request, pk: int) -> DataRequest:
    return get_object_or_404(DataRequest.objects.select_related("target_domain"), pk=pk)


class ScoreView(APIView):
    """Set a request's RICE inputs; answers its board row values."""

    @extend_schema(request=ScoreSerializer, responses=BoardItemSerializer)
    def post(self, request, pk: int):
        target = _request_for_lead(request, pk)
        data = _parse(ScoreSerializer, request.data)
        scored = services.request_score(
            data_request=target,
            actor=request.user,
            reach=data.get("reach", target.reach),
            impact=data.get("impact", target.impact),
            confidence=data.get("confidence", target.confidence),
            effort=data.get("effort", target.effort),
            version=data.get("version"),
        )
        item = selectors.BoardItem(request=scored, above_capacity=False, age_days=0)
        return Response(BoardItemSerializer(item, context={"request": request}).data)


class PlanView(APIView):
    """Put a triaged request on a cycle's board as a candidate (null takes it off)."""

    @extend_schema(request=PlanSerializer, responses=BoardItemSerializer)
    def post(self, request, pk: int):
        target = _request_for_lead(request, pk)
        data = _parse(PlanSerializer, request.data)
        cycle = (
            resolve_cycle(data["planned_cycle"], "planned_cycle") if data["planned_cycle"] else None
        )
        planned = board_services.request_plan(
            data_request=target, actor=request.user, planned_cycle=cycle
        )
        item = selectors.BoardItem(request=planned, above_capacity=False, age_days=0)
        return Response(BoardItemSerializer(item, context={"request": request}).data)


class TriageInboxView(APIView):
    """Submitted requests waiting for triage, oldest first, with their age against the SLA."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "ordering",
                str,
                enum=["age", "demand"],
                description="age: oldest first (default); demand: most demanded first.",
            )
        ],
        responses=InboxSerializer,
    )
    def get(self, request, slug: str):
        domain = get_object_or_404(Domain, slug=slug)
        order = request.query_params.get("ordering") or "age"
        if order not in selectors.INBOX_ORDERS:
            raise ValidationError(
                {
                    "ordering": [
                        gettext("Unknown ordering %(value)s. Valid choices: age, demand.")
                        % {"value": repr(order[:40])}
                    ]
                }
            )
        items = selectors.triage_inbox(domain=domain, order=order)
        count = selectors.inbox_counts(domain=domain)["submitted"]
        return Response(
            InboxSerializer(
                {
                    "domain": domain.slug,
                    "sla_working_days": settings.TRIAGE_SLA_WORKING_DAYS,
                    "count": count,
                    "truncated": count > len(items),
                    "requests": items,
                }
            ).data
        )


class TriageBulkView(APIView):
    """One action on many requests (triage, accept, defer, decline), each through its service."""

    @extend_schema(request=BulkSerializer, responses=BulkResultSerializer(many=True))
    def post(self, request, slug: str):
        domain = get_object_or_404(Domain, slug=slug)
        board_services.check_lead(request.user, domain, "triage its requests")
        data = _parse(BulkSerializer, request.data)
        cycle = data.get("planned_cycle")
        results = board_services.bulk_transition(
            domain=domain,
            request_ids=data["ids"],
            action=data["action"],
            actor=request.user,
            reason=data.get("reason"),
            planned_cycle=resolve_cycle(cycle, "planned_cycle") if cycle else None,
            effort=data.get("effort"),
        )
        return Response(BulkResultSerializer(results, many=True).data)
