"""Comments, @mentions and watching."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import NotPermitted
from requests_app.models import Comment, DataRequest, RequestEvent
from requests_app.services.common import clean_text, record_event
from requests_app.services.rules import (
    MAX_COMMENT,
)

User = get_user_model()


MAX_MENTIONS = 20
MENTION_RE = re.compile(r"(?<![\w.])@([\w.+-]{1,150})")


def mentioned_users(body: str) -> list:
    """People named in ``body``: ``@username``, or ``@Lars`` when exactly one active person has
    that first (or last) name. Unknown or ambiguous names are ignored. One query."""
    names = {m.rstrip(".") for m in MENTION_RE.findall(body)}
    if not names:
        return []
    by_name = Q()
    for name in names:
        by_name |= Q(first_name__iexact=name) | Q(last_name__iexact=name)
    people = list(User.objects.filter(Q(username__in=names) | by_name, is_active=True))
    found = {}
    for name in names:
        exact = [u for u in people if u.username == name]
        named = [u for u in people if name.lower() in (u.first_name.lower(), u.last_name.lower())]
        match = exact or (named if len(named) == 1 else [])
        for user in match:
            found[user.pk] = user
    return list(found.values())


def _check_author(comment: Comment, actor, what: str) -> None:
    if not (actor and actor.is_authenticated and (actor.pk == comment.author_id or actor.is_staff)):
        raise NotPermitted(
            _("Only its author may edit this comment.")
            if what == "edit"
            else _("Only its author may delete this comment.")
        )


@transaction.atomic
def comment_update(*, comment: Comment, actor, body: str) -> Comment:
    """The author (or staff) rewrites a comment; the audit event keeps what it said before.
    Mentions follow the new text (newly named people are not notified again for an edit)."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    _check_author(comment, actor, "edit")
    body = clean_text(body, "body", MAX_COMMENT)
    if not body:
        raise ValidationError({"body": _("Write something, or delete the comment instead.")})
    if body == comment.body:
        return comment
    before = comment.body
    comment.body = body
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    comment.mentions.set(mentioned_users(body))
    record_event(
        comment.request,
        actor=actor,
        kind=RequestEvent.Kind.COMMENT_EDITED,
        data={"comment": comment.pk, "before": before},
    )
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, actor) -> None:
    """The author (or staff) removes a comment from the discussion; the audit event keeps it."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    _check_author(comment, actor, "delete")
    record_event(
        comment.request,
        actor=actor,
        kind=RequestEvent.Kind.COMMENT_DELETED,
        data={"comment": comment.pk, "body": comment.body},
    )
    comment.delete()


def check_mention_count(mentions: list) -> None:
    """At most MAX_MENTIONS people are notified by one comment: mentioning everyone is a
    broadcast, not a discussion."""
    if len(mentions) > MAX_MENTIONS:
        raise ValidationError(
            {
                "body": (
                    f"A comment may mention at most {MAX_MENTIONS} people; this one mentions "
                    f"{len(mentions)}. Mention the few who must act, or watch the request."
                )
            }
        )


@transaction.atomic
def comment_create(*, data_request: DataRequest, author, body: str) -> Comment:
    """Any signed-in user may comment; the author starts watching; @mentions are resolved."""
    if not author or not author.is_authenticated:
        raise NotPermitted("Sign in to comment.")
    body = clean_text(body, "body", MAX_COMMENT)
    if not body:
        raise ValidationError({"body": "Write something before posting."})
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
        raise NotPermitted("Sign in to watch requests.")
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
