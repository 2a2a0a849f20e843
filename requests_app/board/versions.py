"""Board versions and the board lock.

Any change to what a board shows makes the version its clients hold stale (`bump_board`).
Writers that change a domain's boards take the domain's board lock first (`lock_boards`), then
request rows: one lock order for reorders, decisions and scores, so they queue instead of
deadlocking, and ranks handed out under the lock stay unique.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from products.models import Domain
from requests_app.lifecycle import BOARD_STATES
from requests_app.models import DataRequest, DomainCycleCapacity


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
    """A change that alters a board (a decision, a score) invalidates its version."""
    if not (domain_id and cycle_id):
        return
    updated = DomainCycleCapacity.objects.filter(domain_id=domain_id, cycle_id=cycle_id).update(
        board_version=F("board_version") + 1
    )
    if not updated:
        # Boards without a row report version 1; start at 2 so clients holding 1 are stale.
        try:
            with transaction.atomic():
                DomainCycleCapacity.objects.create(
                    domain_id=domain_id, cycle_id=cycle_id, board_version=2
                )
        except IntegrityError:
            DomainCycleCapacity.objects.filter(domain_id=domain_id, cycle_id=cycle_id).update(
                board_version=F("board_version") + 1
            )
