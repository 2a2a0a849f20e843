"""Who hears about an event (DESIGN's notification table). Never the person who acted."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from notifications.models import Notification
from requests_app.models import DataRequest, RequestEvent

User = get_user_model()
E = RequestEvent.Kind
K = Notification.Kind
# The decision an action announces to the requester and watchers.
DECISIONS = {
    E.TRIAGE: K.TRIAGED,
    E.ACCEPT: K.ACCEPTED,
    E.DECLINE: K.DECLINED,
    E.DEFER: K.DEFERRED,
    E.MARK_DUPLICATE: K.DUPLICATE,
    E.DELIVER: K.DELIVERED,
}


@dataclass(frozen=True)
class Audience:
    """Users (by kind of notification) and whether the domain's webhook hears it too."""

    users: dict[str, list]  # kind → users
    webhook: bool = False


def audience_for(event: RequestEvent) -> Audience:
    """Recipients of one request event, each user under one kind only."""
    request: DataRequest = event.request
    actor_id = event.actor_id
    if event.kind == E.SUBMIT:
        leads = [u for u in request.target_domain.leads.all() if u.pk != actor_id]
        return Audience({K.SUBMITTED: leads}, webhook=bool(request.target_domain.webhook_url))
    if event.kind == E.WORK_ITEM_DONE:
        leads = [u for u in request.target_domain.leads.all() if u.is_active]
        return Audience({K.WORK_ITEM_DONE: leads})
    if event.kind in DECISIONS:
        people = _requester_and_watchers(request, actor_id)
        return Audience({DECISIONS[event.kind]: people})
    if event.kind == E.ENDORSED:
        return Audience({K.ENDORSED: _leads_and_requester(request, actor_id)})
    if event.kind == E.PRODUCT_SUGGESTED:
        return Audience({K.PRODUCT_MAY_ANSWER: _leads_and_requester(request, actor_id)})
    if event.kind == E.COMMENTED:
        mentioned_ids = set(event.data.get("mentions", []))
        mentioned = [u for u in User.objects.filter(pk__in=mentioned_ids) if u.pk != actor_id]
        others = [
            u for u in _requester_and_watchers(request, actor_id) if u.pk not in mentioned_ids
        ]
        return Audience({K.MENTION: mentioned, K.COMMENT: others})
    return Audience({})


def _requester_and_watchers(request: DataRequest, actor_id) -> list:
    people = {request.requester_id: request.requester}
    for watcher in request.watchers.all():
        people.setdefault(watcher.pk, watcher)
    return [u for pk, u in people.items() if pk != actor_id and u.is_active]


def _leads_and_requester(request: DataRequest, actor_id) -> list:
    """The target domain's leads and the requester (demand and supply news)."""
    people = {u.pk: u for u in request.target_domain.leads.all()} if request.target_domain else {}
    people.setdefault(request.requester_id, request.requester)
    return [u for pk, u in people.items() if pk != actor_id and u.is_active]
