"""Demand: "we need this too". Endorsements, the demand counters they keep on the request, and
demand carried from a duplicate to its original.

`DataRequest.demand` (distinct requesting domains: the requester's and the endorsers') and
`endorsement_count` are written here, in the transaction that changes the endorsements, under the
request's row lock, so lists, boards and inboxes read them as plain columns (no query per row).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core.errors import Conflict, NotPermitted, TransitionNotAllowed
from products.models import Domain
from requests_app import events, lifecycle
from requests_app.models import DataRequest, Endorsement, RequestEvent, RoadmapCycle
from requests_app.services.common import record_event
from requests_app.services.rules import MAX_TEXT

S = DataRequest.Status
E = RequestEvent.Kind


def demand_recount(data_request: DataRequest) -> DataRequest:
    """Recompute and store ``demand`` and ``endorsement_count`` (two queries); the caller holds
    the request's row lock. A requester without a team still counts as one."""
    domains = set(
        Endorsement.objects.filter(request=data_request).values_list(
            "requesting_domain_id", flat=True
        )
    )
    count = Endorsement.objects.filter(request=data_request).count()
    demand = len(domains | {data_request.requesting_domain_id})
    DataRequest.objects.filter(pk=data_request.pk).update(demand=demand, endorsement_count=count)
    # An update() bypasses save(): tell readers caching figures over requests (the review).
    events.requests_bulk_changed.send(sender=DataRequest, using=DEFAULT_DB_ALIAS)
    data_request.demand, data_request.endorsement_count = demand, count
    return data_request


def _lock(data_request: DataRequest) -> DataRequest:
    # Only the request's row: endorsing changes no board, so no board lock is needed, and two
    # endorsements of one request (or two by one person) serialize here.
    return (
        DataRequest.objects.select_related("target_domain")
        .select_for_update(of=("self",))
        .get(pk=data_request.pk)
    )


def _default_domain(actor) -> Domain | None:
    domains = list(
        Domain.objects.filter(Q(members=actor) | Q(leads=actor)).order_by().distinct()[:2]
    )
    return domains[0] if len(domains) == 1 else None


def _clean_need(text: str | None) -> str:
    need = (text or "").strip()
    if not need:
        raise ValidationError(
            {
                "business_need": _(
                    "Say why your team needs this data (the decision or feature it enables): "
                    "the producing domain weighs each team's need."
                )
            }
        )
    if len(need) > MAX_TEXT:
        raise ValidationError(
            {
                "business_need": _("Keep it under %(max)s characters (it has %(n)s).")
                % {"max": f"{MAX_TEXT:,}", "n": f"{len(need):,}"}
            }
        )
    return need


@transaction.atomic
def endorsement_create(
    *,
    data_request: DataRequest,
    actor,
    business_need: str | None,
    requesting_domain: Domain | None = None,
    urgency: str | None = None,
    needed_by_cycle: RoadmapCycle | None = None,
) -> Endorsement:
    """Any signed-in user but the requester says their team needs an open request too (once).
    Atomic: the endorsement, the request's demand, the endorser watching it and the `endorsed`
    event (and its notifications) commit together. 400 closed/own, 409 a second time."""
    if not actor or not actor.is_authenticated:
        raise NotPermitted(_("Sign in to endorse requests."))
    data_request = _lock(data_request)
    if data_request.status not in lifecycle.ENDORSABLE_STATES:
        raise TransitionNotAllowed(
            _(
                "%(key)s is %(status)s: only open requests take endorsements. File a new request "
                "if you still need this data."
            )
            % {"key": data_request.key, "status": data_request.get_status_display().lower()},
            allowed_actions=lifecycle.allowed_actions(actor, data_request),
        )
    if data_request.requester_id == actor.pk:
        raise TransitionNotAllowed(
            _("%(key)s is your own request: its demand already counts your team.")
            % {"key": data_request.key}
        )
    if Endorsement.objects.filter(request=data_request, user=actor).exists():
        raise Conflict(
            _("You already endorsed %(key)s. Withdraw that endorsement to change it.")
            % {"key": data_request.key}
        )
    need = _clean_need(business_need)
    requesting_domain = requesting_domain or _default_domain(actor)
    if requesting_domain is None:
        raise ValidationError({"requesting_domain": _("Say which team needs it (a domain slug).")})
    if urgency and urgency not in DataRequest.Urgency.values:
        raise ValidationError(
            {"urgency": _("Urgency is one of %s.") % ", ".join(DataRequest.Urgency.values)}
        )
    endorsement = Endorsement(
        request=data_request,
        user=actor,
        requesting_domain=requesting_domain,
        business_need=need,
        urgency=urgency or DataRequest.Urgency.MEDIUM,
        needed_by_cycle=needed_by_cycle,
    )
    try:
        with transaction.atomic():  # the unique constraint is the last word on "once"
            endorsement.save()
    except IntegrityError:
        raise Conflict(_("You already endorsed %(key)s.") % {"key": data_request.key}) from None
    data_request.watchers.add(actor)
    demand_recount(data_request)
    record_event(
        data_request,
        actor=actor,
        kind=E.ENDORSED,
        data={
            "endorsement": endorsement.pk,
            "requesting_domain": requesting_domain.slug,
            "demand": data_request.demand,
        },
    )
    return endorsement


@transaction.atomic
def endorsement_withdraw(*, endorsement: Endorsement, actor) -> DataRequest:
    """Its author (or staff) withdraws an endorsement; the request's demand drops with it."""
    if not actor or not actor.is_authenticated:
        raise NotPermitted(_("Sign in to withdraw an endorsement."))
    if endorsement.user_id != actor.pk and not actor.is_staff:
        raise NotPermitted(_("Only its author (or staff) may withdraw an endorsement."))
    data_request = _lock(endorsement.request)
    domain = endorsement.requesting_domain.slug
    endorsement.delete()
    demand_recount(data_request)
    record_event(
        data_request,
        actor=actor,
        kind=E.ENDORSEMENT_WITHDRAWN,
        data={"requesting_domain": domain, "demand": data_request.demand},
    )
    return data_request


def demand_carry_over(*, duplicate: DataRequest, original: DataRequest, actor) -> int:
    """`mark_duplicate`'s part: the duplicate's requester and endorsers become endorsements of
    the original (their own team and need), unless already counted there; they watch it.
    Runs inside the caller's transaction; returns how many endorsements were added."""
    original = _lock(original)
    counted = set(Endorsement.objects.filter(request=original).values_list("user_id", flat=True))
    counted.add(original.requester_id)
    people = [
        (
            duplicate.requester_id,
            duplicate.requesting_domain_id,
            duplicate.business_need,
            duplicate.urgency,
            duplicate.needed_by_cycle_id,
        ),
        *Endorsement.objects.filter(request=duplicate).values_list(
            "user_id", "requesting_domain_id", "business_need", "urgency", "needed_by_cycle_id"
        ),
    ]
    added = []
    for user_id, domain_id, need, urgency, cycle_id in people:
        if user_id in counted or domain_id is None:
            continue
        counted.add(user_id)
        added.append(
            Endorsement(
                request=original,
                user_id=user_id,
                requesting_domain_id=domain_id,
                business_need=(need or "").strip()[:MAX_TEXT] or duplicate.title,
                urgency=urgency,
                needed_by_cycle_id=cycle_id,
                carried_from=duplicate,
            )
        )
    if not added:
        return 0
    Endorsement.objects.bulk_create(added)
    original.watchers.add(*[e.user_id for e in added])
    demand_recount(original)
    record_event(
        original,
        actor=actor,
        kind=E.ENDORSED,
        data={
            "carried_from": duplicate.pk,
            "requesting_domains": sorted({e.requesting_domain_id for e in added}),
            "demand": original.demand,
        },
    )
    return len(added)
