"""Celery tasks of the review: thin wrappers over `review.services`."""

from __future__ import annotations

from celery import shared_task

from review import services


@shared_task(bind=True, name="review.compute_review_snapshot")
def compute_review_snapshot(self, snapshot_id: int) -> dict:
    """Compute a frozen review; reports PROGRESS with the percent done (idempotent)."""

    def report(percent: int) -> None:
        self.update_state(state="PROGRESS", meta={"snapshot": snapshot_id, "progress": percent})

    snapshot = services.review_snapshot_compute(snapshot_id=snapshot_id, progress=report)
    return {"snapshot": snapshot.pk, "status": snapshot.status}
