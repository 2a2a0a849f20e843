"""Celery tasks: thin, idempotent wrappers over the notification services (they take ids)."""

from __future__ import annotations

from celery import shared_task

from notifications import services


# ignore_result: nobody reads it, and sending a task whose result is kept subscribes to the
# result store first (another Redis round trip that must not stand between a web request and
# its answer while Redis is down).
@shared_task(
    acks_late=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=5,
    ignore_result=True,
)
def deliver_notifications(ids: list[int]) -> dict:
    """Deliver a batch of outbox rows; rows already sent or taken are skipped."""
    return services.deliver(ids)


@shared_task
def sweep_outbox() -> int:
    """Every minute: re-dispatch rows left pending (nothing is lost if the broker was down)."""
    return services.sweep()


@shared_task
def remind_triage_overdue() -> int:
    """Daily: leads hear about requests untriaged past the SLA (once per domain and day)."""
    return services.remind_triage_overdue()


@shared_task
def remind_deadlines() -> int:
    """Daily: 14, 7 and 1 days before a request deadline, remind drafters and leads."""
    return services.remind_deadlines()


@shared_task
def send_planning_digest() -> int:
    """Weekly: the planning digest for leads."""
    return services.send_planning_digest()


@shared_task
def send_email_digests(mode: str) -> int:
    """Daily or weekly email digests for users who chose them."""
    return services.send_email_digests(mode)
