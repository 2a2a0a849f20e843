"""The signed-in user's inbox and notification preferences."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from notifications import preferences, services
from notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    request = serializers.IntegerField(source="request_id", allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "request", "message", "url", "created_at", "read_at"]

    def get_url(self, obj) -> str | None:
        return obj.payload.get("path")


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(preferences.KINDS))
    label = serializers.CharField(read_only=True)
    channel = serializers.ChoiceField(choices=list(preferences.USER_CHANNELS))
    enabled = serializers.BooleanField()
    digest = serializers.ChoiceField(choices=["immediate", "daily", "weekly"], default="immediate")


class NotificationListView(ListAPIView):
    """Your in-app notifications, newest first; `?unread=true` for the unread ones."""

    serializer_class = NotificationSerializer
    filter_backends: list = []

    @extend_schema(parameters=[OpenApiParameter("unread", bool)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = services.inbox(self.request.user)
        unread = self.request.query_params.get("unread")
        if unread not in (None, "", "true", "false"):
            raise ValidationError({"unread": [gettext("Use true or false.")]})
        if unread == "true":
            qs = qs.filter(read_at__isnull=True)
        return qs


class NotificationReadView(APIView):
    """Mark one of your notifications read."""

    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request, pk: int):
        notification = get_object_or_404(services.inbox(request.user), pk=pk)
        services.mark_read(notification=notification, user=request.user)
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllView(APIView):
    """Mark all your notifications read."""

    @extend_schema(
        request=None, responses=inline_serializer("ReadAll", {"marked": serializers.IntegerField()})
    )
    def post(self, request):
        return Response({"marked": services.mark_all_read(user=request.user)})


class PreferencesView(APIView):
    """Your choice per kind of event and channel (in-app, email) and email digest mode."""

    @extend_schema(responses=PreferenceSerializer(many=True))
    def get(self, request):
        return Response(
            PreferenceSerializer(preferences.preferences_of(request.user), many=True).data
        )

    @extend_schema(
        request=PreferenceSerializer(many=True), responses=PreferenceSerializer(many=True)
    )
    def put(self, request):
        if not isinstance(request.data, list):
            raise ValidationError(
                {"preferences": [gettext("Send a list of {kind, channel, enabled, digest}.")]}
            )
        serializer = PreferenceSerializer(data=request.data, many=True)
        serializer.is_valid(raise_exception=True)
        saved = preferences.preferences_update(user=request.user, changes=serializer.validated_data)
        return Response(PreferenceSerializer(saved, many=True).data, status=status.HTTP_200_OK)

    patch = put
