"""Notification services, one module per family of use cases: `outbox` (write rows with the event,
dispatch after commit), `delivery` (claim, lease, send, retry, sweep), `inbox`, `reminders` and
`digests`. The names below are the package's public surface (tasks, views, the API, admin)."""

from notifications.services.delivery import (
    DELIVERY_BUDGET_SECONDS,
    LEASE,
    MAX_ATTEMPTS,
    SEND_MARGIN_SECONDS,
    backoff,
    deliver,
    retry_failed,
    sweep,
)
from notifications.services.digests import send_email_digests, send_planning_digest
from notifications.services.inbox import inbox, mark_all_read, mark_read, unread_count
from notifications.services.outbox import (
    BATCH,
    WEBHOOK_BATCH,
    batches,
    dispatch_after_commit,
    dispatch_now,
    enqueue_for_event,
    notify_review_ready,
)
from notifications.services.reminders import remind_deadlines, remind_triage_overdue

__all__ = [
    "BATCH",
    "DELIVERY_BUDGET_SECONDS",
    "LEASE",
    "MAX_ATTEMPTS",
    "SEND_MARGIN_SECONDS",
    "WEBHOOK_BATCH",
    "backoff",
    "batches",
    "deliver",
    "dispatch_after_commit",
    "dispatch_now",
    "enqueue_for_event",
    "inbox",
    "mark_all_read",
    "mark_read",
    "notify_review_ready",
    "remind_deadlines",
    "remind_triage_overdue",
    "retry_failed",
    "send_email_digests",
    "send_planning_digest",
    "sweep",
    "unread_count",
]
