"""v1 API for work-item links: `requests/{id}/links/` GET/POST, `requests/{id}/links/{lid}/`
DELETE (thin: parse → service or selector → serialize)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from requests_app.models import DataRequest, WorkItemLink
from requests_app.workitems import selectors, services


class WorkItemLinkSerializer(serializers.ModelSerializer):
    """A linked issue: where it is, which tracker, its key there, and its last known state."""

    class Meta:
        model = WorkItemLink
        fields = ["id", "url", "kind", "external_key", "state", "created_at", "updated_at"]
        read_only_fields = fields


class WorkItemLinkWriteSerializer(serializers.Serializer):
    url = serializers.CharField(
        max_length=500, help_text=gettext_lazy("The issue's https:// address.")
    )


class LinkListView(APIView):
    """The issues in Jira, Linear or GitHub that carry a request's delivery. Everyone signed in
    reads; the target domain's leads and members (and staff) link one by its URL."""

    @extend_schema(responses={200: WorkItemLinkSerializer(many=True)})
    def get(self, request, pk: int):
        data_request = get_object_or_404(DataRequest, pk=pk)
        links = selectors.request_links(data_request=data_request)
        return Response(WorkItemLinkSerializer(links, many=True).data)

    @extend_schema(request=WorkItemLinkWriteSerializer, responses={201: WorkItemLinkSerializer})
    def post(self, request, pk: int):
        data_request = get_object_or_404(DataRequest, pk=pk)
        services.check_can_link(request.user, data_request)  # 403 before reading the body
        body = WorkItemLinkWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        link = services.link_create(
            data_request=data_request, url=body.validated_data["url"], actor=request.user
        )
        return Response(WorkItemLinkSerializer(link).data, status=status.HTTP_201_CREATED)


class LinkDetailView(APIView):
    """Unlink one work item (the target domain's leads and members, and staff)."""

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int, lid: int):
        link = get_object_or_404(WorkItemLink.objects.select_related("request"), pk=lid, request=pk)
        services.link_delete(link=link, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
