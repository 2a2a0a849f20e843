"""Comments, @mentions and watching."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from core.errors import NotPermitted
from requests_app.models import Comment, DataRequest, RequestEvent
from requests_app.services.common import clean_text, record_event
from requests_app.services.rules import (
    MAX_COMMENT,
)

User = get_user_model()


MAX_MENTIONS = 20
MENTION_RE = re.compile(r"(?<![\w.])@([\w.+-]{1,150})")


def mentioned_users(body: str):
    """Users named ``@username`` in ``body`` (unknown names are ignored)."""
    names = {m.rstrip(".") for m in MENTION_RE.findall(body)}
    return User.objects.filter(username__in=names, is_active=True) if names else User.objects.none()


def check_mention_count(mentions: list) -> None:
    """At most MAX_MENTIONS people are notified by one comment: mentioning everyone is a
    broadcast, not a discussion."""
    if len(mentions) > MAX_MENTIONS:
        raise ValidationError(
            {
                "body": (
                    gettext(
                        "A comment may mention at most %(max_mentions)s people; this one mentions %(len)s. Mention the few who must act, or watch the request."
                    )
                    % {"max_mentions": MAX_MENTIONS, "len": len(mentions)}
                )
            }
        )


@transaction.atomic
def comment_create(*, data_request: DataRequest, author, body: str) -> Comment:
    """Any signed-in user may comment; the author starts watching; @mentions are resolved."""
    if not author or not author.is_authenticated:
        raise NotPermitted(gettext("Sign in to comment."))
    body = clean_text(body, "body", MAX_COMMENT)
    if not body:
        raise ValidationError({"body": gettext("Write something before posting.")})
    mentions = list(mentioned_users(body))
    check_mention_count(mentions)
    comment = Comment.objects.create(request=data_request, author=author, body=body)
    if mentions:
        comment.mentions.set(mentions)
    data_request.watchers.add(author)
    record_event(
        data_request,
        actor=author,
        kind=RequestEvent.Kind.COMMENTED,
        data={"comment": comment.pk, "mentions": [u.pk for u in mentions]},
    )
    return comment


@transaction.atomic
def request_watch(*, data_request: DataRequest, user, watch: bool = True) -> None:
    """Start or stop watching a request (any signed-in user); idempotent: only a change is
    recorded in the audit trail."""
    if not user or not user.is_authenticated:
        raise NotPermitted(gettext("Sign in to watch requests."))
    watching = data_request.watchers.filter(pk=user.pk).exists()
    if watching == watch:
        return
    if watch:
        data_request.watchers.add(user)
    else:
        data_request.watchers.remove(user)
    record_event(
        data_request,
        actor=user,
        kind=RequestEvent.Kind.WATCHED if watch else RequestEvent.Kind.UNWATCHED,
    )
