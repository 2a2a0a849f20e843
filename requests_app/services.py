"""Every write on requests and cycles: one function per use case, atomic, checking role and state.

The API, the pages, the admin and the tasks all call these. Each transition locks the request row,
checks the state machine (`TransitionNotAllowed` → 400) and the actor's role (`NotPermitted` → 403),
validates what the action needs (`ValidationError` → 400), bumps ``version``, writes one
`RequestEvent` and publishes it (the notification outbox subscribes) in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import F, Q
from django.utils import timezone

from core.errors import NotPermitted, StaleVersion, TransitionNotAllowed
from products.models import DataProduct, Domain
from requests_app import events, lifecycle
from requests_app.board.versions import bump_board, close_rank_gaps, lock_boards
from requests_app.lifecycle import BOARD_STATES
from requests_app.models import Comment, DataRequest, RequestEvent, RoadmapCycle

S = DataRequest.Status
User = get_user_model()

EDITABLE_FIELDS = (
    "title",
    "description",
    "business_need",
    "requesting_domain",
    "target_domain",
    "data_product",
    "proposed_product_name",
    "needed_by_cycle",
    "urgency",
)
MAX_REASON = 5_000
MAX_COMMENT = 20_000


# --- helpers -----------------------------------------------------------------------------------


def _record(
    request: DataRequest,
    *,
    actor,
    kind: str,
    from_status: str = "",
    to_status: str = "",
    data: dict | None = None,
) -> RequestEvent:
    event = RequestEvent.objects.create(
        request=request,
        actor=actor,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        data=data or {},
    )
    events.publish(event)
    return event


def lock_request(request: DataRequest) -> DataRequest:
    """Re-read the request under a row lock so concurrent writers serialize on it.

    The target domain's board lock comes first (see `board.versions`): a decision that changes a
    board and a reorder of that board then take their locks in the same order.
    """
    domain_id = (
        DataRequest.objects.filter(pk=request.pk).values_list("target_domain_id", flat=True).first()
    )
    lock_boards(domain_id)
    locked = DataRequest.objects.select_for_update().get(pk=request.pk)
    if locked.target_domain_id != domain_id:  # re-targeted in between: hold its boards too
        lock_boards(locked.target_domain_id)
    return locked


def _check_version(request: DataRequest, version: int | None) -> None:
    if version is None:
        return
    try:
        version = int(version)
    except (TypeError, ValueError):
        raise ValidationError({"version": "Give the version you saw, a whole number."}) from None
    if version != request.version:
        raise StaleVersion(
            f"{request.key} was changed by someone else (you saw version {version}, it is now "
            f"{request.version}). Reload it and apply your change again.",
            current_version=request.version,
        )


def _check_action(request: DataRequest, action: str, actor) -> None:
    spec = lifecycle.ACTIONS[action]
    if request.status not in spec.sources:
        allowed = lifecycle.allowed_actions(actor, request)
        raise TransitionNotAllowed(
            f"Cannot {action.replace('_', ' ')} {request.key}: it is {request.get_status_display().lower()}. "
            + (
                f"You can: {', '.join(allowed)}."
                if allowed
                else "No action is open to you in this state."
            ),
            allowed_actions=allowed,
        )
    if not lifecycle.roles_of(actor, request) & spec.roles:
        who = {
            lifecycle.REQUESTER_ROLES: "the requester",
            lifecycle.LEAD_ROLES: f"a lead of {request.target_domain}",
            lifecycle.TEAM_ROLES: f"a lead or member of {request.target_domain}",
        }[spec.roles]
        raise NotPermitted(f"Only {who} (or staff) may {action.replace('_', ' ')} {request.key}.")


def _submission_facts(request: DataRequest) -> tuple[bool | None, int | None]:
    """Early/late and lead time, from the submission's local date and the needed-by cycle."""
    if not (request.submitted_at and request.needed_by_cycle_id):
        return None, None
    cycle = request.needed_by_cycle
    submitted_on = timezone.localdate(request.submitted_at)
    return submitted_on > cycle.request_deadline, (cycle.starts_on - submitted_on).days


def _clean_text(value: Any, field: str, limit: int) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if len(text) > limit:
        raise ValidationError({field: f"Keep it under {limit} characters (it has {len(text)})."})
    return text


def _validate_for_submit(request: DataRequest) -> None:
    errors: dict[str, str] = {}
    if not request.title.strip():
        errors["title"] = "Give the request a short title."
    if not request.business_need.strip():
        errors["business_need"] = (
            "Say why you need this data (the decision or feature it enables), so the domain can "
            "prioritize it."
        )
    if not request.target_domain_id:
        errors["target_domain"] = "Choose the producing domain you are asking."
    if not request.needed_by_cycle_id:
        errors["needed_by_cycle"] = "Choose the cycle by which you need the data."
    if errors:
        raise ValidationError(errors)


def _validate_links(request: DataRequest) -> None:
    if (
        request.data_product_id
        and request.target_domain_id
        and request.data_product.domain_id != request.target_domain_id
    ):
        raise ValidationError(
            {
                "data_product": f"{request.data_product} belongs to {request.data_product.domain}, "
                f"not to {request.target_domain}. Pick one of the target domain's products."
            }
        )


def _default_requesting_domain(actor) -> Domain | None:
    domains = list(
        Domain.objects.filter(Q(members=actor) | Q(leads=actor)).order_by().distinct()[:2]
    )
    return domains[0] if len(domains) == 1 else None


def check_requesting_domain(domain: Domain | None, actor) -> None:
    """A request is filed on behalf of one of the actor's own domains (staff: any), as the
    filing page offers: nobody speaks for another team's demand."""
    if domain is None or actor.is_staff:
        return
    own = Domain.objects.filter(Q(members=actor) | Q(leads=actor)).order_by("slug").distinct()
    if own.filter(pk=domain.pk).exists():
        return
    slugs = ", ".join(own.values_list("slug", flat=True)[:20]) or "none (ask a lead to add you)"
    raise ValidationError(
        {
            "requesting_domain": (
                f"You can file only on behalf of a domain you belong to, not {domain.slug}. "
                f"Your domains: {slugs}."
            )
        }
    )


# --- create and edit ---------------------------------------------------------------------------


@transaction.atomic
def request_create(*, actor, submit: bool = False, **fields: Any) -> DataRequest:
    """File a request as ``actor`` (any signed-in user); a draft unless ``submit`` is true."""
    if not actor or not actor.is_authenticated:
        raise NotPermitted("Sign in to file a request.")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({f: "This field cannot be set when filing." for f in unknown})
    request = DataRequest(requester=actor, status=S.DRAFT)
    for name, value in fields.items():
        setattr(request, name, value)
    if request.requesting_domain_id is None:
        request.requesting_domain = _default_requesting_domain(actor)
    check_requesting_domain(fields.get("requesting_domain"), actor)
    request.title = _clean_text(request.title, "title", 200)
    if not request.title:
        raise ValidationError({"title": "Give the request a short title."})
    _validate_links(request)
    request.full_clean(exclude=["requester"])
    request.save()
    request.watchers.add(actor)
    _record(request, actor=actor, kind="created", to_status=S.DRAFT)
    if submit:
        request = request_submit(request=request, actor=actor)
    return request


@transaction.atomic
def request_update(
    *, request: DataRequest, actor, version: int | None = None, **fields: Any
) -> DataRequest:
    """Edit what the requester asked for; only while draft or submitted (then they comment)."""
    request = lock_request(request)
    _check_version(request, version)
    if not lifecycle.can_edit(actor, request):
        if request.status not in lifecycle.EDITABLE_STATES:
            raise TransitionNotAllowed(
                f"{request.key} is {request.get_status_display().lower()}: it can no longer be edited. "
                "Add a comment instead.",
                allowed_actions=lifecycle.allowed_actions(actor, request),
            )
        raise NotPermitted(f"Only the requester (or staff) may edit {request.key}.")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({f: "This field cannot be edited." for f in unknown})
    changed = {}
    for name, value in fields.items():
        before = getattr(request, name)
        if before != value:
            setattr(request, name, value)
            changed[name] = str(value) if value is not None else None
    if not changed:
        return request
    if "requesting_domain" in changed:
        check_requesting_domain(fields["requesting_domain"], actor)
    request.title = _clean_text(request.title, "title", 200)
    _validate_links(request)
    if request.status == S.SUBMITTED:
        _validate_for_submit(request)
        request.is_late, request.lead_time_days = _submission_facts(request)
    request.full_clean(exclude=["requester"])
    request.version = F("version") + 1
    request.save()
    request.refresh_from_db()
    _record(request, actor=actor, kind="edited", data={"fields": sorted(changed)})
    return request


# --- transitions -------------------------------------------------------------------------------


def _transition(
    request: DataRequest,
    *,
    action: str,
    actor,
    version: int | None,
    data: dict | None = None,
    **updates: Any,
) -> DataRequest:
    request = lock_request(request)
    _check_version(request, version)
    _check_action(request, action, actor)
    return _apply(request, action=action, actor=actor, data=data, **updates)


def _apply(request: DataRequest, *, action: str, actor, data: dict | None, **updates: Any):
    """Validate-free second half of a transition: state, timestamps, version, event."""
    from_status = request.status
    board_before = request.planned_cycle_id
    request.status = lifecycle.ACTIONS[action].target
    for name, value in updates.items():
        setattr(request, name, value)
    request.version += 1
    request.save()
    # Decisions change what boards show: their clients must reload before reordering.
    bump_board(request.target_domain_id, board_before)
    if request.planned_cycle_id != board_before:
        bump_board(request.target_domain_id, request.planned_cycle_id)
    if board_before and (
        request.planned_cycle_id != board_before or request.status not in BOARD_STATES
    ):
        close_rank_gaps(request.target_domain_id, board_before)
    _record(
        request,
        actor=actor,
        kind=action,
        from_status=from_status,
        to_status=request.status,
        data=data,
    )
    return request


@transaction.atomic
def request_submit(*, request: DataRequest, actor, version: int | None = None) -> DataRequest:
    """Send a draft to the producing domain; stamps early/late and the lead time."""
    request = lock_request(request)
    _check_version(request, version)
    _check_action(request, "submit", actor)
    _validate_for_submit(request)
    _validate_links(request)
    request.submitted_at = timezone.now()
    request.is_late, request.lead_time_days = _submission_facts(request)
    return _apply(
        request,
        action="submit",
        actor=actor,
        data={"is_late": request.is_late, "lead_time_days": request.lead_time_days},
    )


@transaction.atomic
def request_triage(*, request: DataRequest, actor, version: int | None = None) -> DataRequest:
    """A lead has read the request and will decide on it."""
    return _transition(
        request, action="triage", actor=actor, version=version, triaged_at=timezone.now()
    )


def _reason_required(reason: str | None, action: str) -> str:
    reason = _clean_text(reason, "reason", MAX_REASON)
    if not reason:
        raise ValidationError(
            {
                "reason": f"Give a reason to {action}: the requester sees it and it goes to the review."
            }
        )
    return reason


@transaction.atomic
def request_accept(
    *,
    request: DataRequest,
    actor,
    planned_cycle: RoadmapCycle | None,
    effort: int | None,
    version: int | None = None,
) -> DataRequest:
    """Commit to deliver in ``planned_cycle`` for ``effort`` points (triages it on the way)."""
    request = lock_request(request)
    _check_version(request, version)
    _check_action(request, "accept", actor)
    errors = {}
    if planned_cycle is None:
        errors["planned_cycle"] = "Choose the cycle in which the work is planned."
    if effort is None or int(effort) < 1:
        errors["effort"] = "Estimate the effort in points (1 or more)."
    elif int(effort) > 10_000:
        errors["effort"] = "Effort is in points per cycle; keep it under 10,000."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    from requests_app import scoring

    score = scoring.rice_score(
        reach=request.reach, impact=request.impact, confidence=request.confidence, effort=effort
    )
    return _apply(
        request,
        action="accept",
        actor=actor,
        data={"planned_cycle": planned_cycle.slug, "effort": int(effort)},
        planned_cycle=planned_cycle,
        effort=int(effort),
        score=score,
        rank=(
            request.rank
            if request.rank and request.planned_cycle_id == planned_cycle.pk
            else _next_rank(request.target_domain_id, planned_cycle.pk)
        ),
        triaged_at=request.triaged_at or now,
        decided_at=now,
    )


def _next_rank(domain_id: int, cycle_id: int) -> int:
    """The bottom of a board (unique: the caller holds the domain's board lock)."""
    from django.db.models import Max

    top = DataRequest.objects.filter(
        target_domain_id=domain_id, planned_cycle_id=cycle_id, rank__isnull=False
    ).aggregate(m=Max("rank"))["m"]
    return (top or 0) + 1


@transaction.atomic
def request_decline(
    *, request: DataRequest, actor, reason: str | None, version: int | None = None
) -> DataRequest:
    """Say no, with a reason the requester and the review will read."""
    request = lock_request(request)
    _check_version(request, version)
    _check_action(request, "decline", actor)
    reason = _reason_required(reason, "decline")
    now = timezone.now()
    return _apply(
        request,
        action="decline",
        actor=actor,
        data={"reason": reason},
        decision_reason=reason,
        triaged_at=request.triaged_at or now,
        decided_at=now,
        rank=None,
    )


@transaction.atomic
def request_defer(
    *,
    request: DataRequest,
    actor,
    reason: str | None,
    planned_cycle: RoadmapCycle | None = None,
    version: int | None = None,
) -> DataRequest:
    """Not this cycle: keep it, with a reason, for a later cycle's triage list."""
    request = lock_request(request)
    _check_version(request, version)
    _check_action(request, "defer", actor)
    reason = _reason_required(reason, "defer")
    if planned_cycle is not None:
        _check_later_cycle(request, planned_cycle)
    now = timezone.now()
    return _apply(
        request,
        action="defer",
        actor=actor,
        data={"reason": reason, "planned_cycle": planned_cycle.slug if planned_cycle else None},
        decision_reason=reason,
        planned_cycle=planned_cycle,
        rank=None,
        triaged_at=request.triaged_at or now,
        decided_at=now,
    )


def _check_later_cycle(request: DataRequest, cycle: RoadmapCycle) -> None:
    """A deferral points forward: to a cycle not started yet, after the one it was planned for."""
    if request.planned_cycle is not None and cycle.starts_on <= request.planned_cycle.starts_on:
        raise ValidationError(
            {
                "planned_cycle": f"Deferring moves the request to a cycle after "
                f"{request.planned_cycle}; {cycle} is not later. Pick a later cycle, or leave "
                "it empty."
            }
        )
    if cycle.starts_on <= timezone.localdate():
        raise ValidationError(
            {"planned_cycle": f"{cycle} has already started; defer to a cycle still to come."}
        )


@transaction.atomic
def request_mark_duplicate(
    *,
    request: DataRequest,
    actor,
    duplicate_of: DataRequest | None,
    version: int | None = None,
) -> DataRequest:
    """Close as a duplicate of another request (whose watchers it joins)."""
    request = lock_request(request)
    _check_version(request, version)
    _check_action(request, "mark_duplicate", actor)
    if duplicate_of is None:
        raise ValidationError({"duplicate_of": "Say which request this one duplicates."})
    if duplicate_of.pk == request.pk:
        raise ValidationError({"duplicate_of": "A request cannot duplicate itself."})
    if duplicate_of.duplicate_of_id == request.pk:
        raise ValidationError(
            {"duplicate_of": f"{duplicate_of.key} is already marked a duplicate of this one."}
        )
    duplicate_of.watchers.add(request.requester)
    now = timezone.now()
    return _apply(
        request,
        action="mark_duplicate",
        actor=actor,
        data={"duplicate_of": duplicate_of.pk},
        duplicate_of=duplicate_of,
        rank=None,
        triaged_at=request.triaged_at or now,
        decided_at=now,
    )


@transaction.atomic
def request_start(*, request: DataRequest, actor, version: int | None = None) -> DataRequest:
    """The producing team has started the work."""
    return _transition(request, action="start", actor=actor, version=version)


@transaction.atomic
def request_deliver(
    *,
    request: DataRequest,
    actor,
    delivered_product: DataProduct | None,
    version: int | None = None,
) -> DataRequest:
    """Done: the data is in the catalog as ``delivered_product`` (delivered data is discoverable)."""
    request = lock_request(request)
    _check_version(request, version)
    _check_action(request, "deliver", actor)
    if delivered_product is None:
        raise ValidationError(
            {
                "delivered_product": "Link the data product that delivers this request, so others "
                "can find it in the catalog. Publish it first if it is new."
            }
        )
    if delivered_product.status == DataProduct.Status.DEPRECATED:
        raise ValidationError(
            {"delivered_product": f"{delivered_product} is deprecated; deliver a live product."}
        )
    return _apply(
        request,
        action="deliver",
        actor=actor,
        data={"delivered_product": delivered_product.pk},
        delivered_product=delivered_product,
        delivered_at=timezone.now(),
    )


@transaction.atomic
def request_withdraw(
    *, request: DataRequest, actor, reason: str | None = None, version: int | None = None
) -> DataRequest:
    """The requester no longer needs it."""
    reason = _clean_text(reason, "reason", MAX_REASON)
    return _transition(
        request,
        action="withdraw",
        actor=actor,
        version=version,
        data={"reason": reason} if reason else None,
        rank=None,
    )


@transaction.atomic
def request_reopen(*, request: DataRequest, actor, version: int | None = None) -> DataRequest:
    """Bring a deferred request back to the triaged list; its history stays."""
    return _transition(request, action="reopen", actor=actor, version=version)


TRANSITIONS = {
    "submit": request_submit,
    "triage": request_triage,
    "accept": request_accept,
    "decline": request_decline,
    "defer": request_defer,
    "mark_duplicate": request_mark_duplicate,
    "start": request_start,
    "deliver": request_deliver,
    "withdraw": request_withdraw,
    "reopen": request_reopen,
}
TRANSITION_PARAMS = {
    "accept": ("planned_cycle", "effort"),
    "decline": ("reason",),
    "defer": ("reason", "planned_cycle"),
    "mark_duplicate": ("duplicate_of",),
    "deliver": ("delivered_product",),
    "withdraw": ("reason",),
}


def request_transition(
    *, request: DataRequest, action: str, actor, version: int | None = None, **params: Any
) -> DataRequest:
    """Run ``action`` by name with only the parameters it takes (API and bulk actions use this)."""
    if action not in TRANSITIONS:
        raise TransitionNotAllowed(
            f"Unknown action {action!r}.", allowed_actions=lifecycle.allowed_actions(actor, request)
        )
    wanted = {k: params.get(k) for k in TRANSITION_PARAMS.get(action, ())}
    return TRANSITIONS[action](request=request, actor=actor, version=version, **wanted)


# --- prioritization inputs ---------------------------------------------------------------------


@transaction.atomic
def request_score(
    *,
    request: DataRequest,
    actor,
    reach: int | None = None,
    impact=None,
    confidence: int | None = None,
    effort: int | None = None,
    version: int | None = None,
) -> DataRequest:
    """A lead sets the RICE inputs; the score is recomputed (it suggests, the rank decides)."""
    from requests_app import scoring

    request = lock_request(request)
    _check_version(request, version)
    if not lifecycle.can_prioritize(actor, request):
        raise NotPermitted(f"Only a lead of {request.target_domain} (or staff) may score requests.")
    if request.status not in lifecycle.OPEN_STATES - {S.DRAFT}:
        raise TransitionNotAllowed(
            f"{request.key} is {request.get_status_display().lower()}; only open, submitted "
            "requests are scored.",
            allowed_actions=lifecycle.allowed_actions(actor, request),
        )
    scoring.validate_inputs(reach=reach, impact=impact, confidence=confidence, effort=effort)
    request.reach, request.impact, request.confidence = reach, impact, confidence
    if effort is not None:
        request.effort = effort
    request.score = scoring.rice_score(
        reach=request.reach,
        impact=request.impact,
        confidence=request.confidence,
        effort=request.effort,
    )
    request.version += 1
    request.save()
    bump_board(request.target_domain_id, request.planned_cycle_id)
    _record(
        request,
        actor=actor,
        kind="scored",
        data={
            "reach": reach,
            "impact": str(impact) if impact is not None else None,
            "confidence": confidence,
            "effort": request.effort,
            "score": request.score,
        },
    )
    return request


# --- discussion and watching -------------------------------------------------------------------

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
                    f"A comment may mention at most {MAX_MENTIONS} people; this one mentions "
                    f"{len(mentions)}. Mention the few who must act, or watch the request."
                )
            }
        )


@transaction.atomic
def comment_create(*, request: DataRequest, author, body: str) -> Comment:
    """Any signed-in user may comment; the author starts watching; @mentions are resolved."""
    if not author or not author.is_authenticated:
        raise NotPermitted("Sign in to comment.")
    body = _clean_text(body, "body", MAX_COMMENT)
    if not body:
        raise ValidationError({"body": "Write something before posting."})
    mentions = list(mentioned_users(body))
    check_mention_count(mentions)
    comment = Comment.objects.create(request=request, author=author, body=body)
    if mentions:
        comment.mentions.set(mentions)
    request.watchers.add(author)
    _record(
        request,
        actor=author,
        kind="commented",
        data={"comment": comment.pk, "mentions": [u.pk for u in mentions]},
    )
    return comment


@transaction.atomic
def request_watch(*, request: DataRequest, user, watch: bool = True) -> None:
    """Start or stop watching a request (any signed-in user); idempotent: only a change is
    recorded in the audit trail."""
    if not user or not user.is_authenticated:
        raise NotPermitted("Sign in to watch requests.")
    watching = request.watchers.filter(pk=user.pk).exists()
    if watching == watch:
        return
    if watch:
        request.watchers.add(user)
    else:
        request.watchers.remove(user)
    _record(request, actor=user, kind="watched" if watch else "unwatched")


# --- cycles ------------------------------------------------------------------------------------


def check_staff(actor, what: str) -> None:
    """Only staff manage cycles; doors call this before parsing input so refusals are 403s."""
    if not (actor and actor.is_authenticated and actor.is_staff):
        raise NotPermitted(f"Only staff may {what}.")


CYCLE_EARLIEST = dt.date(2000, 1, 1)
CYCLE_LATEST = dt.date(2199, 12, 31)
CYCLE_LONGEST = dt.timedelta(days=2 * 366)


def _cycle_date_errors(cycle: RoadmapCycle) -> dict[str, str]:
    """Dates in a sane range (2000-2199) and a cycle at most two years long: a typo such as
    9999-12-31 would otherwise break every calendar and date sum that reads the cycle."""
    errors = {}
    for field in ("request_deadline", "starts_on", "ends_on", "review_on"):
        value = getattr(cycle, field, None)
        if isinstance(value, dt.date) and not CYCLE_EARLIEST <= value <= CYCLE_LATEST:
            errors[field] = (
                f"{value.isoformat()} is out of range: cycle dates fall between "
                f"{CYCLE_EARLIEST.isoformat()} and {CYCLE_LATEST.isoformat()}."
            )
    starts, ends = cycle.starts_on, cycle.ends_on
    if not errors and starts and ends and ends - starts > CYCLE_LONGEST:
        errors["ends_on"] = "A roadmap cycle lasts at most two years; split it into several."
    return errors


def cycle_validate(cycle: RoadmapCycle) -> None:
    """A cycle's dates are in order: deadline before start, start before end, review after start."""
    errors = _cycle_date_errors(cycle)
    if errors:
        raise ValidationError(errors)
    if cycle.request_deadline and cycle.starts_on and cycle.request_deadline >= cycle.starts_on:
        errors["request_deadline"] = "The request deadline must fall before the cycle starts."
    if cycle.starts_on and cycle.ends_on and cycle.starts_on >= cycle.ends_on:
        errors["ends_on"] = "The cycle must end after it starts."
    if cycle.review_on and cycle.starts_on and cycle.review_on < cycle.starts_on:
        errors["review_on"] = "The review happens during or after the cycle."
    if errors:
        raise ValidationError(errors)
    cycle.full_clean(validate_constraints=False)


@transaction.atomic
def cycle_create(*, actor, **fields: Any) -> RoadmapCycle:
    """Staff open a roadmap cycle (deadline before start, start before end)."""
    check_staff(actor, "manage cycles")
    cycle = RoadmapCycle(**fields)
    if not cycle.slug and cycle.name:
        from django.utils.text import slugify

        cycle.slug = slugify(cycle.name)
    cycle_validate(cycle)
    cycle.save()
    return cycle


@transaction.atomic
def cycle_update(*, cycle: RoadmapCycle, actor, **fields: Any) -> RoadmapCycle:
    """Staff edit a cycle; early/late and lead times of its submitted requests follow the dates."""
    check_staff(actor, "manage cycles")
    for name, value in fields.items():
        setattr(cycle, name, value)
    cycle_validate(cycle)
    cycle.save()
    affected = list(
        DataRequest.objects.filter(
            needed_by_cycle=cycle, submitted_at__isnull=False
        ).select_related("needed_by_cycle")
    )
    for request in affected:
        request.is_late, request.lead_time_days = _submission_facts(request)
    DataRequest.objects.bulk_update(affected, ["is_late", "lead_time_days"], batch_size=500)
    # bulk_update sends no model signal; early/late and lead times moved.
    events.requests_bulk_changed.send(sender=DataRequest, using=DEFAULT_DB_ALIAS)
    return cycle


def cycle_current(today: dt.date | None = None) -> RoadmapCycle | None:
    """The cycle running today, if any."""
    today = today or timezone.localdate()
    return RoadmapCycle.objects.filter(starts_on__lte=today, ends_on__gte=today).first()


def cycle_next(today: dt.date | None = None) -> RoadmapCycle | None:
    """The next cycle still open for early requests (its deadline not passed), else the next one."""
    today = today or timezone.localdate()
    return (
        RoadmapCycle.objects.filter(request_deadline__gte=today).order_by("starts_on").first()
        or RoadmapCycle.objects.filter(starts_on__gt=today).order_by("starts_on").first()
    )
