"""The RICE inputs a lead sets on a request (the score suggests an order; the rank decides)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext

from core.errors import NotPermitted, TransitionNotAllowed
from requests_app import lifecycle, scoring
from requests_app.board.versions import bump_board
from requests_app.models import DataRequest, RequestEvent
from requests_app.services.common import (
    check_version,
    lock_request,
    record_event,
)

S = DataRequest.Status


def check_can_score(actor, data_request: DataRequest) -> None:
    """Who may score a request: its target domain's leads and staff. Asked by `request_score`
    and by the board page before it offers a row's score inputs."""
    if not lifecycle.can_prioritize(actor, data_request):
        raise NotPermitted(
            gettext("Only a lead of %(target_domain)s (or staff) may score requests.")
            % {"target_domain": data_request.target_domain}
        )


@transaction.atomic
def request_score(
    *,
    data_request: DataRequest,
    actor,
    reach: int | None = None,
    impact=None,
    confidence: int | None = None,
    effort: int | None = None,
    version: int | None = None,
) -> DataRequest:
    """A lead sets the RICE inputs; the score is recomputed (it suggests, the rank decides)."""
    data_request = lock_request(data_request)
    check_version(data_request, version)
    check_can_score(actor, data_request)
    if data_request.status not in lifecycle.OPEN_STATES - {S.DRAFT}:
        raise TransitionNotAllowed(
            gettext("%(key)s is %(lower)s; only open, submitted requests are scored.")
            % {"key": data_request.key, "lower": data_request.get_status_display().lower()},
            allowed_actions=lifecycle.allowed_actions(actor, data_request),
        )
    scoring.validate_inputs(reach=reach, impact=impact, confidence=confidence, effort=effort)
    data_request.reach, data_request.impact, data_request.confidence = reach, impact, confidence
    if effort is not None:
        data_request.effort = effort
    data_request.score = scoring.rice_score(
        reach=data_request.reach,
        impact=data_request.impact,
        confidence=data_request.confidence,
        effort=data_request.effort,
    )
    data_request.version += 1
    data_request.save()
    bump_board(data_request.target_domain_id, data_request.planned_cycle_id)
    record_event(
        data_request,
        actor=actor,
        kind=RequestEvent.Kind.SCORED,
        data={
            "reach": reach,
            "impact": str(impact) if impact is not None else None,
            "confidence": confidence,
            "effort": data_request.effort,
            "score": data_request.score,
        },
    )
    return data_request


@transaction.atomic
def request_reach_from_demand(
    *, data_request: DataRequest, actor, version: int | None = None
) -> DataRequest:
    """ "Reach = demand" in one action: a lead sets RICE's reach to the request's demand (the
    teams that need it), keeping the other inputs; same rules as `request_score`."""
    data_request = lock_request(data_request)
    return request_score(
        data_request=data_request,
        actor=actor,
        reach=data_request.demand,
        impact=data_request.impact,
        confidence=data_request.confidence,
        version=version,
    )
