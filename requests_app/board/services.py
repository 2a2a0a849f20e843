"""Writes for prioritization: reorder a board, set a cycle's capacity, plan, bulk triage.

Every function takes the acting user and checks that they lead the domain (or are staff).
`board_reorder` is safe under concurrent writers: it locks the board's capacity row, compares the
version the client saw and answers `StaleVersion` (409) when someone else changed the board first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from core.errors import DomainError, NotPermitted, StaleVersion, TransitionNotAllowed
from products.models import Domain
from requests_app import lifecycle, services
from requests_app.board.selectors import BOARD_LIMIT, board_requests
from requests_app.board.versions import (
    STORED_FIELDS,
    BoardTotals,
    board_totals,
    bump_board,
    close_rank_gaps,
    lock_boards,
)
from requests_app.models import DataRequest, DomainCycleCapacity, RequestEvent, RoadmapCycle

S = DataRequest.Status
BULK_ACTIONS = ("triage", "accept", "defer", "decline")
MAX_BULK = 200


def _is_lead(actor, domain: Domain) -> bool:
    if not (actor and actor.is_authenticated):
        return False
    if actor.is_staff:
        return True
    probe = DataRequest(target_domain=domain)
    return lifecycle.Role.LEAD in lifecycle.roles_of(actor, probe)


def check_lead(actor, domain: Domain, what: str) -> None:
    """Only the domain's leads (and staff) prioritize its work."""
    if not _is_lead(actor, domain):
        raise NotPermitted(
            gettext("Only a lead of %(domain)s (or staff) may %(what)s.")
            % {"domain": domain, "what": what}
        )


def _capacity_row(domain: Domain, cycle: RoadmapCycle) -> DomainCycleCapacity:
    """The board's row, created on first use (with its totals counted) and then locked for this
    transaction. The caller holds the domain's board lock."""
    try:
        with transaction.atomic():
            DomainCycleCapacity.objects.get_or_create(domain=domain, cycle=cycle)
    except IntegrityError:  # a concurrent writer created it first: fine, it exists now
        pass
    row = DomainCycleCapacity.objects.select_for_update().get(domain=domain, cycle=cycle)
    if BoardTotals.stored(vars(row)) is None:  # new, or written outside the services: count now
        for name, value in board_totals(domain.pk, cycle.pk).as_fields().items():
            setattr(row, name, value)
        row.save(update_fields=STORED_FIELDS)
    return row


@transaction.atomic
def board_reorder(
    *, domain: Domain, cycle: RoadmapCycle, order: list[int], version: int, actor
) -> int:
    """Rank the requests the board shows in ``order`` (each once: all of the board, or its first
    `BOARD_LIMIT` when it holds more); returns the new version.

    They take ranks 1..n; any further ranked requests keep theirs (n+1…), so ranks stay dense.
    A stale ``version`` changes nothing and raises `StaleVersion`.
    """
    check_lead(actor, domain, "reorder the board")
    lock_boards(domain.pk)
    row = _capacity_row(domain, cycle)
    if version is None or int(version) != row.board_version:
        raise StaleVersion(
            gettext(
                "The %(domain)s board for %(cycle)s changed since you loaded it (you saw version %(version)s, it is now %(board_version)s). Reload it and reorder again."
            )
            % {
                "domain": domain,
                "cycle": cycle,
                "version": version,
                "board_version": row.board_version,
            },
            current_version=row.board_version,
        )
    current = list(
        board_requests(domain=domain, cycle=cycle).select_for_update(of=("self",))[:BOARD_LIMIT]
    )
    by_id = {r.pk: r for r in current}
    try:
        wanted = [int(pk) for pk in order]
    except (TypeError, ValueError):
        raise ValidationError(
            {"order": gettext("List the request ids, as whole numbers.")}
        ) from None
    missing = sorted(set(by_id) - set(wanted))
    extra = sorted(set(wanted) - set(by_id))
    if missing or extra or len(wanted) != len(set(wanted)):
        parts = []
        if missing:
            parts.append(f"missing {', '.join(f'DR-{i}' for i in missing)}")
        if extra:
            parts.append(f"not shown on this board {', '.join(f'DR-{i}' for i in extra)}")
        if len(wanted) != len(set(wanted)):
            parts.append("some ids appear twice")
        raise ValidationError(
            {
                "order": gettext("Give every request the board shows exactly once (%(join)s).")
                % {"join": "; ".join(parts)}
            }
        )
    changed = []
    for rank, pk in enumerate(wanted, start=1):
        request = by_id[pk]
        if request.rank != rank:
            changed.append((request, request.rank, rank))
            request.rank = rank
            request.version += 1
    DataRequest.objects.bulk_update([c[0] for c in changed], ["rank", "version"], batch_size=500)
    RequestEvent.objects.bulk_create(
        [
            RequestEvent(
                request=request,
                actor=actor,
                kind=RequestEvent.Kind.RANKED,
                data={"from": old, "to": new},
            )
            for request, old, new in changed
        ]
    )
    row.board_version += 1
    row.save(update_fields=["board_version"])
    return row.board_version


def board_move(
    *, domain: Domain, cycle: RoadmapCycle, request_id: int, offset: int, version: int, actor
) -> int:
    """Move one request up (offset −1) or down (+1) on the board: a reorder of the whole list."""
    check_lead(actor, domain, "reorder the board")
    ids = list(
        board_requests(domain=domain, cycle=cycle).values_list("pk", flat=True)[:BOARD_LIMIT]
    )
    if request_id not in ids:
        raise ValidationError(
            {
                "request": gettext("DR-%(request_id)s is not on this board.")
                % {"request_id": request_id}
            }
        )
    index = ids.index(request_id)
    target = max(0, min(len(ids) - 1, index + offset))
    ids.insert(target, ids.pop(index))
    return board_reorder(domain=domain, cycle=cycle, order=ids, version=version, actor=actor)


@transaction.atomic
def capacity_set(*, domain: Domain, cycle: RoadmapCycle, capacity: int | None, actor) -> int:
    """Set the effort points a domain can plan in one cycle (None: back to the default)."""
    check_lead(actor, domain, "set capacity")
    if capacity is not None and not 0 <= int(capacity) <= 100_000:
        raise ValidationError({"capacity": gettext("Capacity is in effort points, 0 to 100,000.")})
    lock_boards(domain.pk)
    row = _capacity_row(domain, cycle)
    row.capacity = None if capacity is None else int(capacity)
    row.board_version += 1
    row.save(update_fields=["capacity", "board_version"])
    return row.board_version


@transaction.atomic
def request_plan(
    *, data_request: DataRequest, actor, planned_cycle: RoadmapCycle | None
) -> DataRequest:
    """Put a triaged request on a cycle's board as a candidate (before accepting it)."""
    data_request = services.lock_request(data_request)
    check_lead(actor, data_request.target_domain, "plan requests")
    if data_request.status != S.TRIAGED:
        raise TransitionNotAllowed(
            gettext("Only triaged requests are planned onto a board; %(key)s is %(lower)s.")
            % {"key": data_request.key, "lower": data_request.get_status_display().lower()},
            allowed_actions=lifecycle.allowed_actions(actor, data_request),
        )
    services.check_cycle_open(planned_cycle, actor=actor, field="planned_cycle")
    before = data_request.planned_cycle_id
    data_request.planned_cycle = planned_cycle
    data_request.rank = None
    data_request.version += 1
    data_request.save(update_fields=["planned_cycle", "rank", "version", "updated_at"])
    RequestEvent.objects.create(
        request=data_request,
        actor=actor,
        kind=RequestEvent.Kind.PLANNED,
        data={"planned_cycle": planned_cycle.slug if planned_cycle else None},
    )
    bump_board(data_request.target_domain_id, before)
    bump_board(data_request.target_domain_id, data_request.planned_cycle_id)
    close_rank_gaps(data_request.target_domain_id, before)
    return data_request


@dataclass
class BulkResult:
    request_id: int
    key: str
    ok: bool
    message: str


def bulk_transition(
    *, domain: Domain, request_ids: list[int], action: str, actor, **params: Any
) -> list[BulkResult]:
    """Apply one action to many requests of a domain, each through the same service as a single
    action (each atomic on its own). Returns a result per request; one failure stops no other."""
    check_lead(actor, domain, "triage its requests")
    if action not in BULK_ACTIONS:
        raise ValidationError(
            {"action": gettext("Bulk actions are: %(join)s.") % {"join": ", ".join(BULK_ACTIONS)}}
        )
    if not request_ids:
        raise ValidationError({"ids": gettext("Select at least one request.")})
    if len(request_ids) > MAX_BULK:
        raise ValidationError(
            {
                "ids": gettext("Select at most %(max_bulk)s requests at a time.")
                % {"max_bulk": MAX_BULK}
            }
        )
    found = {
        r.pk: r
        for r in DataRequest.objects.filter(
            pk__in=request_ids, target_domain=domain
        ).select_related("target_domain")
    }
    results = []
    for pk in request_ids:
        request = found.get(pk)
        if request is None:
            results.append(
                BulkResult(
                    pk,
                    f"DR-{pk}",
                    False,
                    gettext("DR-%(pk)s is not a request of %(domain)s.")
                    % {"pk": pk, "domain": domain},
                )
            )
            continue
        try:
            done = services.request_transition(
                data_request=request, action=action, actor=actor, **params
            )
        except ValidationError as exc:
            text = (
                "; ".join(
                    f"{k}: {' '.join(v)}" if k != "__all__" else " ".join(v)
                    for k, v in exc.message_dict.items()
                )
                if hasattr(exc, "error_dict")
                else " ".join(exc.messages)
            )
            results.append(BulkResult(pk, request.key, False, text))
        except DomainError as exc:
            results.append(BulkResult(pk, request.key, False, exc.message))
        else:
            results.append(
                BulkResult(
                    pk,
                    done.key,
                    True,
                    gettext("%(key)s is now %(lower)s.")
                    % {"key": done.key, "lower": done.get_status_display().lower()},
                )
            )
    return results
