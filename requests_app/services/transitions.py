"""The lifecycle's transitions, one function per action, and the RICE inputs a lead sets.

Each transition opens the same way (`common.open_transition`: lock, version, state, role), validates
what its action needs, bumps ``version``, writes one `RequestEvent` and publishes it (the outbox
subscribes) in the same transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.errors import TransitionNotAllowed
from products.models import DataProduct
from requests_app import lifecycle, scoring
from requests_app.board.versions import bump_board, close_rank_gaps
from requests_app.lifecycle import BOARD_STATES
from requests_app.models import DataRequest, RoadmapCycle
from requests_app.services.closed_cycles import check_cycle_open
from requests_app.services.common import (
    clean_text,
    open_transition,
    record_event,
    submission_facts,
    validate_for_submit,
    validate_links,
)
from requests_app.services.demand import demand_carry_over
from requests_app.services.rules import (
    ACTION_INPUTS,
    MAX_EFFORT,
    MAX_REASON,
)

S = DataRequest.Status


def _transition(
    data_request: DataRequest,
    *,
    action: str,
    actor,
    version: int | None,
    data: dict | None = None,
    **updates: Any,
) -> DataRequest:
    data_request = open_transition(data_request, action, actor, version)
    return _apply(data_request, action=action, actor=actor, data=data, **updates)


def _apply(data_request: DataRequest, *, action: str, actor, data: dict | None, **updates: Any):
    """Validate-free second half of a transition: state, timestamps, version, event."""
    from_status = data_request.status
    board_before = data_request.planned_cycle_id
    data_request.status = lifecycle.ACTIONS[action].target
    for name, value in updates.items():
        setattr(data_request, name, value)
    data_request.version += 1
    data_request.save()
    # Decisions change what boards show: their clients must reload before reordering.
    bump_board(data_request.target_domain_id, board_before)
    if data_request.planned_cycle_id != board_before:
        bump_board(data_request.target_domain_id, data_request.planned_cycle_id)
    if board_before and (
        data_request.planned_cycle_id != board_before or data_request.status not in BOARD_STATES
    ):
        close_rank_gaps(data_request.target_domain_id, board_before)
    record_event(
        data_request,
        actor=actor,
        kind=action,
        from_status=from_status,
        to_status=data_request.status,
        data=data,
    )
    return data_request


@transaction.atomic
def request_submit(*, data_request: DataRequest, actor, version: int | None = None) -> DataRequest:
    """Send a draft to the producing domain; stamps early/late and the lead time."""
    data_request = open_transition(data_request, "submit", actor, version)
    validate_for_submit(data_request)
    check_cycle_open(data_request.needed_by_cycle, actor=actor, field="needed_by_cycle")
    validate_links(data_request)
    data_request.submitted_at = timezone.now()
    data_request.is_late, data_request.lead_time_days = submission_facts(data_request)
    return _apply(
        data_request,
        action="submit",
        actor=actor,
        data={"is_late": data_request.is_late, "lead_time_days": data_request.lead_time_days},
    )


@transaction.atomic
def request_triage(*, data_request: DataRequest, actor, version: int | None = None) -> DataRequest:
    """A lead has read the request and will decide on it."""
    return _transition(
        data_request, action="triage", actor=actor, version=version, triaged_at=timezone.now()
    )


def _reason_required(reason: str | None, action: str) -> str:
    reason = clean_text(reason, "reason", MAX_REASON)
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
    data_request: DataRequest,
    actor,
    planned_cycle: RoadmapCycle | None,
    effort: int | None,
    version: int | None = None,
) -> DataRequest:
    """Commit to deliver in ``planned_cycle`` for ``effort`` points (triages it on the way)."""
    data_request = open_transition(data_request, "accept", actor, version)
    errors = {}
    if planned_cycle is None:
        errors["planned_cycle"] = "Choose the cycle in which the work is planned."
    if effort is None or int(effort) < 1:
        errors["effort"] = "Estimate the effort in points (1 or more)."
    elif int(effort) > MAX_EFFORT:
        errors["effort"] = f"Effort is in points per cycle; keep it under {MAX_EFFORT:,}."
    if errors:
        raise ValidationError(errors)
    check_cycle_open(planned_cycle, actor=actor, field="planned_cycle")
    now = timezone.now()
    score = scoring.rice_score(
        reach=data_request.reach,
        impact=data_request.impact,
        confidence=data_request.confidence,
        effort=effort,
    )
    return _apply(
        data_request,
        action="accept",
        actor=actor,
        data={"planned_cycle": planned_cycle.slug, "effort": int(effort)},
        planned_cycle=planned_cycle,
        effort=int(effort),
        score=score,
        rank=(
            data_request.rank
            if data_request.rank and data_request.planned_cycle_id == planned_cycle.pk
            else _next_rank(data_request.target_domain_id, planned_cycle.pk)
        ),
        triaged_at=data_request.triaged_at or now,
        decided_at=now,
    )


def _next_rank(domain_id: int, cycle_id: int) -> int:
    """The bottom of a board (unique: the caller holds the domain's board lock)."""
    top = DataRequest.objects.filter(
        target_domain_id=domain_id, planned_cycle_id=cycle_id, rank__isnull=False
    ).aggregate(m=Max("rank"))["m"]
    return (top or 0) + 1


@transaction.atomic
def request_decline(
    *, data_request: DataRequest, actor, reason: str | None, version: int | None = None
) -> DataRequest:
    """Say no, with a reason the requester and the review will read."""
    data_request = open_transition(data_request, "decline", actor, version)
    reason = _reason_required(reason, "decline")
    now = timezone.now()
    return _apply(
        data_request,
        action="decline",
        actor=actor,
        data={"reason": reason},
        decision_reason=reason,
        triaged_at=data_request.triaged_at or now,
        decided_at=now,
        rank=None,
    )


@transaction.atomic
def request_defer(
    *,
    data_request: DataRequest,
    actor,
    reason: str | None,
    planned_cycle: RoadmapCycle | None = None,
    version: int | None = None,
) -> DataRequest:
    """Not this cycle: keep it, with a reason, for a later cycle's triage list."""
    data_request = open_transition(data_request, "defer", actor, version)
    reason = _reason_required(reason, "defer")
    if planned_cycle is not None:
        check_cycle_open(planned_cycle, actor=actor, field="planned_cycle")
        _check_later_cycle(data_request, planned_cycle)
    now = timezone.now()
    return _apply(
        data_request,
        action="defer",
        actor=actor,
        data={"reason": reason, "planned_cycle": planned_cycle.slug if planned_cycle else None},
        decision_reason=reason,
        planned_cycle=planned_cycle,
        rank=None,
        triaged_at=data_request.triaged_at or now,
        decided_at=now,
    )


def _check_later_cycle(data_request: DataRequest, cycle: RoadmapCycle) -> None:
    """A deferral points forward: to a cycle not started yet, after the one it was planned for."""
    if (
        data_request.planned_cycle is not None
        and cycle.starts_on <= data_request.planned_cycle.starts_on
    ):
        raise ValidationError(
            {
                "planned_cycle": f"Deferring moves the request to a cycle after "
                f"{data_request.planned_cycle}; {cycle} is not later. Pick a later cycle, or leave "
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
    data_request: DataRequest,
    actor,
    duplicate_of: DataRequest | None,
    version: int | None = None,
) -> DataRequest:
    """Close as a duplicate of another request: its requester and endorsers join the original's
    watchers and, unless already counted, its demand (as endorsements)."""
    data_request = open_transition(data_request, "mark_duplicate", actor, version)
    if duplicate_of is None:
        raise ValidationError({"duplicate_of": "Say which request this one duplicates."})
    if duplicate_of.pk == data_request.pk:
        raise ValidationError({"duplicate_of": "A request cannot duplicate itself."})
    if duplicate_of.duplicate_of_id == data_request.pk:
        raise ValidationError(
            {"duplicate_of": f"{duplicate_of.key} is already marked a duplicate of this one."}
        )
    duplicate_of.watchers.add(data_request.requester)
    # Demand moves with them: the duplicate's requester and endorsers endorse the original.
    demand_carry_over(duplicate=data_request, original=duplicate_of, actor=actor)
    now = timezone.now()
    return _apply(
        data_request,
        action="mark_duplicate",
        actor=actor,
        data={"duplicate_of": duplicate_of.pk},
        duplicate_of=duplicate_of,
        rank=None,
        triaged_at=data_request.triaged_at or now,
        decided_at=now,
    )


@transaction.atomic
def request_start(*, data_request: DataRequest, actor, version: int | None = None) -> DataRequest:
    """The producing team has started the work."""
    return _transition(data_request, action="start", actor=actor, version=version)


@transaction.atomic
def request_deliver(
    *,
    data_request: DataRequest,
    actor,
    delivered_product: DataProduct | None,
    version: int | None = None,
) -> DataRequest:
    """Done: the data is in the catalog as ``delivered_product`` (delivered data is discoverable)."""
    data_request = open_transition(data_request, "deliver", actor, version)
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
        data_request,
        action="deliver",
        actor=actor,
        data={"delivered_product": delivered_product.pk},
        delivered_product=delivered_product,
        delivered_at=timezone.now(),
    )


@transaction.atomic
def request_withdraw(
    *, data_request: DataRequest, actor, reason: str | None = None, version: int | None = None
) -> DataRequest:
    """The requester no longer needs it."""
    reason = clean_text(reason, "reason", MAX_REASON)
    return _transition(
        data_request,
        action="withdraw",
        actor=actor,
        version=version,
        data={"reason": reason} if reason else None,
        rank=None,
    )


@transaction.atomic
def request_reopen(*, data_request: DataRequest, actor, version: int | None = None) -> DataRequest:
    """Bring a deferred request back to the triaged list; its history stays."""
    return _transition(data_request, action="reopen", actor=actor, version=version)


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


def request_transition(
    *, data_request: DataRequest, action: str, actor, version: int | None = None, **params: Any
) -> DataRequest:
    """Run ``action`` by name with only the parameters it takes (API and bulk actions use this)."""
    if action not in TRANSITIONS:
        raise TransitionNotAllowed(
            f"Unknown action {action!r}.",
            allowed_actions=lifecycle.allowed_actions(actor, data_request),
        )
    wanted = {k: params.get(k) for k in ACTION_INPUTS.get(action, ())}
    return TRANSITIONS[action](data_request=data_request, actor=actor, version=version, **wanted)
