"""Board versions, totals and the board lock.

Any change to what a board shows makes the version its clients hold stale and recounts the
board's totals (`bump_board`): every write that moves a request onto or off a board, or changes
its status or effort there, calls it after saving. Writers that change a domain's boards take
the domain's board lock first (`lock_boards`), then request rows: one lock order for reorders,
decisions and scores, so they queue instead of deadlocking, ranks handed out under the lock stay
unique, and the totals a writer stores count every other writer's committed change.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from products.models import Domain
from requests_app.lifecycle import BOARD_STATES, COMMITTED_STATES, PROMISED_STATES
from requests_app.models import DataRequest, DomainCycleCapacity


@dataclass(frozen=True)
class BoardTotals:
    """A board's totals over all of its requests: how many, the effort of all of them
    (planned) and of those committed to (used), and how many are promised (accepted or in
    progress: the roadmap timeline's cell)."""

    count: int
    planned: int
    used: int
    promised: int

    def as_fields(self) -> dict[str, int]:
        """The `DomainCycleCapacity` fields that store them."""
        return {f"board_{name}": getattr(self, name) for name in FIELDS}

    @classmethod
    def stored(cls, row: dict) -> BoardTotals | None:
        """The totals a `DomainCycleCapacity` row holds (as ``values()``), None if not counted."""
        if any(row.get(f"board_{name}") is None for name in FIELDS):
            return None
        return cls(*(row[f"board_{name}"] for name in FIELDS))


FIELDS = ("count", "planned", "used", "promised")
STORED_FIELDS = [f"board_{name}" for name in FIELDS]


def board_totals(domain_id: int, cycle_id: int) -> BoardTotals:
    """Count a board's totals from its requests (one aggregate over the board's rows): the rule
    the stored totals keep, and what a board not counted yet shows."""
    totals = DataRequest.objects.filter(
        target_domain_id=domain_id, planned_cycle_id=cycle_id, status__in=BOARD_STATES
    ).aggregate(**_totals_aggregates())
    return BoardTotals(**totals)


def _totals_aggregates() -> dict:
    return {
        "count": Count("pk"),
        "planned": Coalesce(Sum("effort"), 0),
        "used": Coalesce(Sum("effort", filter=Q(status__in=COMMITTED_STATES)), 0),
        "promised": Count("pk", filter=Q(status__in=PROMISED_STATES)),
    }


def lock_boards(domain_id: int | None) -> None:
    """Hold the boards of a domain until the transaction ends (the Domain row is the lock)."""
    if domain_id:
        list(Domain.objects.select_for_update().filter(pk=domain_id).values_list("pk", flat=True))


def close_rank_gaps(domain_id: int | None, cycle_id: int | None) -> None:
    """Renumber a board's ranked requests 1..n after one left it (caller holds the board lock)."""
    if not (domain_id and cycle_id):
        return
    ranked = list(
        DataRequest.objects.filter(
            target_domain_id=domain_id,
            planned_cycle_id=cycle_id,
            status__in=BOARD_STATES,
            rank__isnull=False,
        )
        .order_by("rank", "id")
        .only("pk", "rank")
    )
    moved = []
    for position, request in enumerate(ranked, start=1):
        if request.rank != position:
            request.rank = position
            moved.append(request)
    if moved:
        DataRequest.objects.bulk_update(moved, ["rank"], batch_size=500)


def bump_board(domain_id: int | None, cycle_id: int | None) -> None:
    """A change that alters a board (a decision, a score) invalidates its version and recounts
    its totals. Call it after saving the change, holding the domain's board lock."""
    if not (domain_id and cycle_id):
        return
    totals = board_totals(domain_id, cycle_id).as_fields()
    updated = DomainCycleCapacity.objects.filter(domain_id=domain_id, cycle_id=cycle_id).update(
        board_version=F("board_version") + 1, **totals
    )
    if not updated:
        # Boards without a row report version 1; start at 2 so clients holding 1 are stale.
        try:
            with transaction.atomic():
                DomainCycleCapacity.objects.create(
                    domain_id=domain_id, cycle_id=cycle_id, board_version=2, **totals
                )
        except IntegrityError:
            DomainCycleCapacity.objects.filter(domain_id=domain_id, cycle_id=cycle_id).update(
                board_version=F("board_version") + 1, **totals
            )


def board_totals_recount_all() -> int:
    """Recount the stored totals of every board, creating the rows of boards that have none;
    returns how many boards hold requests. For data written as rows rather than through the
    services (the bench generator); the data migration `board_totals` does the same."""
    groups = (
        DataRequest.objects.filter(
            status__in=BOARD_STATES, target_domain__isnull=False, planned_cycle__isnull=False
        )
        .values_list("target_domain_id", "planned_cycle_id")
        .annotate(**_totals_aggregates())
        .order_by()
    )
    rows = [
        DomainCycleCapacity(
            domain_id=domain_id,
            cycle_id=cycle_id,
            **BoardTotals(*totals).as_fields(),
        )
        for domain_id, cycle_id, *totals in groups
    ]
    # Boards whose requests all left hold nothing any more.
    DomainCycleCapacity.objects.update(**BoardTotals(0, 0, 0, 0).as_fields())
    DomainCycleCapacity.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["domain", "cycle"],
        update_fields=STORED_FIELDS,
    )
    return len(rows)
