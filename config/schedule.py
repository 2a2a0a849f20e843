"""When the periodic jobs run (Celery beat reads `CELERY_BEAT_SCHEDULE`, built here); `manage.py
run_periodic` runs them all once, now."""

from __future__ import annotations

from celery.schedules import crontab


def beat_schedule() -> dict:
    """The jobs every deployment runs: the outbox sweep, reminders, digests, housekeeping."""
    return {
        "sweep-outbox": {"task": "notifications.tasks.sweep_outbox", "schedule": 60.0},
        "remind-triage-overdue": {
            "task": "notifications.tasks.remind_triage_overdue",
            "schedule": crontab(hour=8, minute=0, day_of_week="mon-fri"),
        },
        "remind-deadlines": {
            "task": "notifications.tasks.remind_deadlines",
            "schedule": crontab(hour=8, minute=5),
        },
        "clear-expired-sessions": {
            "task": "accounts.tasks.clear_expired_sessions",
            "schedule": crontab(hour=3, minute=30),
        },
        # Before the daily email digest, which carries it (by default) the same morning.
        "planning-digest": {
            "task": "notifications.tasks.send_planning_digest",
            "schedule": crontab(hour=6, minute=45, day_of_week="mon"),
        },
        "daily-digest": {
            "task": "notifications.tasks.send_email_digests",
            "schedule": crontab(hour=7, minute=0),
            "args": ("daily",),
        },
        "weekly-digest": {
            "task": "notifications.tasks.send_email_digests",
            "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
            "args": ("weekly",),
        },
    }


def catalog_sync_schedule(minute: int) -> dict:
    """Hourly, at ``minute``: pull the catalog from OpenMetadata or DataHub (when configured)."""
    return {
        "catalog-sync": {
            "task": "products.tasks.sync_catalog",
            "schedule": crontab(minute=minute),
        }
    }
