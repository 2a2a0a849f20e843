"""Board versions: any change to what a board shows makes the version its clients hold stale."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from requests_app.models import DomainCycleCapacity


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
