"""Freezing the quarterly review: staff ask for a snapshot, a Celery task computes and stores it.

The snapshot row is created in the caller's transaction and the task is scheduled only after that
transaction commits, so the worker always finds the row. Computing is idempotent: a snapshot that
is already done is left alone, and a redelivered task (worker lost) recomputes the same figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from celery import current_app
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import NotPermitted
from requests_app import events
from requests_app.models import RoadmapCycle
from review import selectors
from review.models import ReviewSnapshot

Status = ReviewSnapshot.Status
COMPUTE_TASK = "review.compute_review_snapshot"


def review_can_freeze(*, actor) -> bool:
    """Who may freeze a review (staff): the page asks this to show the button."""
    return bool(actor and actor.is_authenticated and actor.is_staff)


@transaction.atomic
def review_freeze(*, cycle: RoadmapCycle, actor) -> ReviewSnapshot:
    """Staff freeze the review of ``cycle``: a pending snapshot, computed by a task after commit.

    While one is pending or running for the cycle, that one is answered instead of a second.
    """
    if not review_can_freeze(actor=actor):
        raise NotPermitted(gettext("Only staff may freeze the review."))
    # Lock the cycle row so two staff clicking at once create one snapshot, not two.
    RoadmapCycle.objects.select_for_update().filter(pk=cycle.pk).first()
    running = selectors.snapshot_in_flight(cycle=cycle)
    if running:
        return running
    snapshot = ReviewSnapshot.objects.create(cycle=cycle, created_by=actor)
    # The task by its registered name: the task module calls these services, not the reverse.
    current_app.tasks[COMPUTE_TASK].delay_on_commit(snapshot.pk)
    return snapshot


def _set_progress(snapshot_id: int, percent: int) -> None:
    # Autocommit, outside any transaction: the page polling the snapshot sees it move.
    ReviewSnapshot.objects.filter(pk=snapshot_id, status=Status.RUNNING).update(progress=percent)


def review_snapshot_compute(
    *,
    snapshot_id: int,
    progress: Callable[[int], None] | None = None,
    now: dt.datetime | None = None,
) -> ReviewSnapshot:
    """Compute and store the figures of a snapshot (called by the task; idempotent).

    Progress goes to ``snapshot.progress`` and to ``progress(percent)``; on success the snapshot
    is ``done`` with its data and time, and the "review ready" announcement is written in the
    same transaction; on error it ends ``failed`` with the error kept, and the error is raised.
    """
    snapshot = ReviewSnapshot.objects.select_related("cycle").get(pk=snapshot_id)
    if snapshot.status == Status.DONE:
        return snapshot
    ReviewSnapshot.objects.filter(pk=snapshot_id).update(
        status=Status.RUNNING, progress=5, error=""
    )

    def report(percent: int) -> None:
        _set_progress(snapshot_id, percent)
        if progress:
            progress(percent)

    report(5)
    try:
        data = selectors.review_compute(cycle=snapshot.cycle, now=now, progress=report)
    except Exception as exc:
        ReviewSnapshot.objects.filter(pk=snapshot_id).update(
            status=Status.FAILED, error=f"{exc.__class__.__name__}: {exc}"[:2000]
        )
        raise
    with transaction.atomic():
        snapshot = ReviewSnapshot.objects.select_for_update().get(pk=snapshot_id)
        if snapshot.status == Status.DONE:  # another delivery of the task finished first
            return snapshot
        snapshot.data = data
        snapshot.status = Status.DONE
        snapshot.progress = 100
        snapshot.finished_at = timezone.now()
        snapshot.save(update_fields=["data", "status", "progress", "finished_at"])
        announce_review_ready(snapshot)
    if progress:
        progress(100)
    return snapshot


def announce_review_ready(snapshot: ReviewSnapshot) -> None:
    """Tell the cycle's leads and requesters that the frozen review is ready (DESIGN: "review
    ready"). Runs inside the transaction that marks the snapshot done, so the notification rows
    (the outbox) commit with it."""
    events.review_ready.send(sender=ReviewSnapshot, snapshot=snapshot)
