"""v1 API for cycles, requests, their lifecycle actions, discussion and audit trail (thin views).

Each method parses with a serializer, calls a service or a selector, and serializes the answer.
Domain errors become 400/403/409 in `core.api.exception_handler`.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from requests_app import demand_selectors, lifecycle, selectors, services, similar
from requests_app.api import demand as d
from requests_app.api import discussion
from requests_app.api import serializers as s
from requests_app.filters import CycleFilter, DataRequestFilter
from requests_app.models import DataRequest, RoadmapCycle
from requests_app.services import rules

Error = inline_serializer(
    "Error",
    {
        "detail": serializers.CharField(),
        "code": serializers.CharField(),
        "errors": serializers.DictField(required=False),
        "allowed_actions": serializers.ListField(child=serializers.CharField(), required=False),
        "current_version": serializers.IntegerField(required=False),
    },
)
ERRORS = {
    400: OpenApiResponse(Error, description="Invalid input, or not allowed from this state."),
    403: OpenApiResponse(Error, description="Your role may not do this."),
    404: OpenApiResponse(Error, description="No such object."),
}
STALE = {409: OpenApiResponse(Error, description="Stale version: reload and retry.")}


def _request_id(pk) -> int | None:
    """The id in the URL, or None when it cannot be one: ASCII digits only (``¹`` and ``٣`` pass
    ``isdigit()`` but are no ids) and within a database bigint."""
    text = str(pk)
    if not (text.isascii() and text.isdecimal()) or int(text) > 2**63 - 1:
        return None
    return int(text)


class CycleViewSet(GenericViewSet):
    """Roadmap cycles: everyone reads; staff create and edit (through the cycle services)."""

    serializer_class = s.CycleSerializer
    lookup_field = "slug"
    filter_backends = [DjangoFilterBackend]
    filterset_class = CycleFilter
    queryset = RoadmapCycle.objects.none()  # for the schema; get_queryset is what runs

    def get_queryset(self):
        return selectors.cycle_list()

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, slug=None):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=s.CycleWriteSerializer, responses={201: s.CycleSerializer, **ERRORS})
    def create(self, request):
        services.check_staff(request.user, "manage cycles")
        data = self._parse(s.CycleWriteSerializer(data=request.data))
        cycle = services.cycle_create(actor=request.user, **data)
        return Response(self._answer(cycle), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CycleWriteSerializer, responses={200: s.CycleSerializer, **ERRORS})
    def partial_update(self, request, slug=None):
        cycle = get_object_or_404(RoadmapCycle, slug=slug)
        services.check_staff(request.user, "manage cycles")
        data = self._parse(s.CycleWriteSerializer(data=request.data, partial=True))
        cycle = services.cycle_update(cycle=cycle, actor=request.user, **data)
        return Response(self._answer(cycle))

    def _parse(self, serializer) -> dict:
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _answer(self, cycle: RoadmapCycle) -> dict:
        return self.get_serializer(selectors.cycle_detail(slug=cycle.slug)).data


class DataRequestViewSet(GenericViewSet):
    """Data requests: file, read, edit while undecided, move through the lifecycle, discuss."""

    serializer_class = s.DataRequestSerializer
    filterset_class = DataRequestFilter
    filter_backends = [DjangoFilterBackend]
    queryset = DataRequest.objects.none()  # for the schema; get_queryset is what runs

    def get_queryset(self):
        return selectors.request_list(user=self.request.user)

    def _row(self, pk) -> dict:
        """One request in the API's shape, through the list's lean path (same shape, no joins
        for PostgreSQL to plan)."""
        rows = list(selectors.request_list_values(self.get_queryset().filter(pk=pk)))
        if not rows:
            raise NotFound
        return s.request_rows(rows, self.request.user)[0]

    def _target(self, pk) -> DataRequest:
        """The request an action or edit applies to (the service re-reads it under a lock)."""
        request_id = _request_id(pk)
        obj = DataRequest.objects.filter(pk=request_id).first() if request_id else None
        if obj is None:
            raise NotFound
        return obj

    def _answer(self, pk, code: int = status.HTTP_200_OK) -> Response:
        return Response(self._row(pk), status=code)

    def _parse(self, serializer_class, **kwargs) -> dict:
        serializer = serializer_class(data=self.request.data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def list(self, request):
        rows = selectors.request_list_values(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.request_rows(page, request.user))

    @extend_schema(
        request=s.DataRequestCreateSerializer, responses={201: s.DataRequestSerializer, **ERRORS}
    )
    def create(self, request):
        data = self._parse(s.DataRequestCreateSerializer)
        created = services.request_create(actor=request.user, **data)
        return self._answer(created.pk, status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.DataRequestSerializer, 404: ERRORS[404]})
    def retrieve(self, request, pk=None):
        if _request_id(pk) is None:
            raise NotFound
        return Response(self._row(pk))

    @extend_schema(
        request=s.DataRequestUpdateSerializer,
        responses={200: s.DataRequestSerializer, **ERRORS, **STALE},
    )
    def partial_update(self, request, pk=None):
        obj = self._target(pk)
        data = self._parse(s.DataRequestUpdateSerializer, partial=True)
        services.request_update(data_request=obj, actor=request.user, **data)
        return self._answer(pk)

    def _transition(self, request, pk, name: str) -> Response:
        obj = self._target(pk)
        data = self._parse(s.TransitionSerializer)
        services.request_transition(data_request=obj, action=name, actor=request.user, **data)
        return self._answer(pk)

    @extend_schema(
        methods=["GET"], responses={200: discussion.CommentSerializer(many=True), 404: ERRORS[404]}
    )
    @extend_schema(
        methods=["POST"],
        request=discussion.CommentWriteSerializer,
        responses={201: discussion.CommentSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def comments(self, request, pk=None):
        """The discussion on a request; anyone signed in may comment (Markdown, @mentions)."""
        obj = self._target(pk)
        if request.method == "POST":
            data = self._parse(discussion.CommentWriteSerializer)
            comment = services.comment_create(
                data_request=obj, author=request.user, body=data["body"]
            )
            return Response(
                discussion.CommentSerializer(comment).data, status=status.HTTP_201_CREATED
            )
        page = self.paginate_queryset(selectors.request_comments(data_request=obj))
        return self.get_paginated_response(discussion.CommentSerializer(page, many=True).data)

    @extend_schema(responses={200: discussion.RequestEventSerializer(many=True), 404: ERRORS[404]})
    @action(detail=True, methods=["get"], filter_backends=[])
    def events(self, request, pk=None):
        """The append-only audit trail of a request, oldest first."""
        page = self.paginate_queryset(selectors.request_events(data_request=self._target(pk)))
        return self.get_paginated_response(discussion.RequestEventSerializer(page, many=True).data)

    @extend_schema(request=None, responses={200: discussion.WatchSerializer, 404: ERRORS[404]})
    @action(detail=True, methods=["post", "delete"], filter_backends=[])
    def watch(self, request, pk=None):
        """POST to watch a request (get its notifications), DELETE to stop; idempotent."""
        watching = request.method == "POST"
        services.request_watch(data_request=self._target(pk), user=request.user, watch=watching)
        return Response({"watching": watching})

    @extend_schema(
        methods=["GET"], responses={200: d.EndorsementSerializer(many=True), 404: ERRORS[404]}
    )
    @extend_schema(
        methods=["POST"],
        request=d.EndorsementWriteSerializer,
        responses={201: d.EndorsementSerializer, **ERRORS, **STALE},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def endorsements(self, request, pk=None):
        """Who else needs this request ("we need this too"); POST endorses it for your team."""
        obj = self._target(pk)
        if request.method == "POST":
            data = self._parse(d.EndorsementWriteSerializer)
            created = services.endorsement_create(data_request=obj, actor=request.user, **data)
            found = demand_selectors.request_endorsements(data_request=obj).get(pk=created.pk)
            return Response(d.EndorsementSerializer(found).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(demand_selectors.request_endorsements(data_request=obj))
        return self.get_paginated_response(d.EndorsementSerializer(page, many=True).data)

    @extend_schema(request=None, responses={204: None, **ERRORS})
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"endorsements/(?P<eid>[0-9]+)",
        url_name="endorsement-detail",
        filter_backends=[],
    )
    def endorsement(self, request, pk=None, eid=None):
        """Withdraw an endorsement: its author or staff."""
        obj = self._target(pk)
        if int(eid) > 2**63 - 1:
            raise NotFound
        found = demand_selectors.request_endorsements(data_request=obj).filter(pk=eid).first()
        if found is None:
            raise NotFound
        services.endorsement_withdraw(endorsement=found, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=d.AnswerSerializer, responses={200: s.DataRequestSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="answered-by", filter_backends=[])
    def answered_by(self, request, pk=None):
        """Supply found demand: say whether a suggested data product answers this request."""
        data = self._parse(d.AnswerSerializer)
        services.request_answer_with_product(
            data_request=self._target(pk),
            actor=request.user,
            product=data["data_product"],
            answers=data["answers"],
            reason=data.get("reason", ""),
        )
        return self._answer(pk)

    @extend_schema(request=None, responses={200: s.DataRequestSerializer, **ERRORS, **STALE})
    @action(detail=True, methods=["post"], url_path="reach-from-demand", filter_backends=[])
    def reach_from_demand(self, request, pk=None):
        """Reach = demand: a lead uses the number of teams that need it as RICE's reach."""
        version = self.request.data.get("version") if hasattr(self.request.data, "get") else None
        services.request_reach_from_demand(
            data_request=self._target(pk), actor=request.user, version=version
        )
        return self._answer(pk)

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="The need, in your words."),
            OpenApiParameter("target_domain", OpenApiTypes.STR, description="Domain slug."),
        ],
        responses={200: s.SimilarSerializer, 400: ERRORS[400]},
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def similar(self, request):
        """Open requests and live data products that may already answer a need, best first."""
        params = s.SimilarQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        found = similar.requests_similar(**params.validated_data)
        return Response(s.SimilarSerializer(found, context=self.get_serializer_context()).data)


def _transition_view(name: str):
    spec = lifecycle.ACTIONS[name]
    needs = rules.ACTION_INPUTS.get(name, ())

    def view(self, request, pk=None):
        return self._transition(request, pk, name)

    view.__name__ = f"transition_{name}"
    view.__doc__ = (
        f"{spec.label}: from {', '.join(sorted(spec.sources))} to {spec.target}. "
        + (f"Needs {', '.join(needs)}. " if needs else "")
        + "Answers the updated request."
    )
    view = action(detail=True, methods=["post"], url_path=name, url_name=name, filter_backends=[])(
        view
    )
    return extend_schema(
        summary=f"{spec.label} a request",
        request=s.TransitionSerializer,
        responses={200: s.DataRequestSerializer, **ERRORS, **STALE},
    )(view)


for _name in lifecycle.ACTIONS:
    setattr(DataRequestViewSet, f"transition_{_name}", _transition_view(_name))


class MeView(APIView):
    """The signed-in user, with the domains they belong to and lead."""

    @extend_schema(responses=s.MeSerializer)
    def get(self, request):
        domains = selectors.domains_of(request.user)
        return Response(s.MeSerializer(request.user, context={"domains": domains}).data)
