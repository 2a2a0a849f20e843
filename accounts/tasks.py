"""Housekeeping of sign-ins: expired sessions are deleted, not kept forever."""

from __future__ import annotations

from celery import shared_task
from django.core.management import call_command


@shared_task
def clear_expired_sessions() -> None:
    """Daily: delete sessions past their expiry (Django's own `clearsessions`); idempotent."""
    call_command("clearsessions")
