"""Serializers of a request's discussion: comments, the audit trail, watching."""

from __future__ import annotations

from rest_framework import serializers

from requests_app.models import Comment, RequestEvent
from requests_app.services.rules import MAX_COMMENT


class CommentSerializer(serializers.ModelSerializer):
    """A comment: Markdown ``body`` as written, ``mentions`` as usernames."""

    author = serializers.CharField(source="author.username", read_only=True)
    mentions = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "author", "body", "mentions", "created_at"]
        read_only_fields = ["id", "author", "mentions", "created_at"]


class CommentWriteSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=MAX_COMMENT)


class RequestEventSerializer(serializers.ModelSerializer):
    """One line of the audit trail."""

    actor = serializers.CharField(source="actor.username", read_only=True, allow_null=True)

    class Meta:
        model = RequestEvent
        fields = ["id", "kind", "actor", "from_status", "to_status", "data", "at"]
        read_only_fields = fields


class WatchSerializer(serializers.Serializer):
    watching = serializers.BooleanField()
