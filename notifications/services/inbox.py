"""The in-app inbox: a person's notifications, the unread count, marking read."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext

from core.errors import NotPermitted
from notifications.models import Notification

C = Notification.Channel


def inbox(user):
    """The user's in-app notifications, newest first."""
    return Notification.objects.filter(recipient=user, channel=C.IN_APP).order_by(
        "-created_at", "-pk"
    )


def unread_count(user, *, cap: int | None = None) -> int:
    """How many in-app notifications ``user`` has not read; with ``cap``, counts at most ``cap``
    (the database stops there: a badge showing "99+" needs no exact count of thousands)."""
    unread = inbox(user).filter(read_at__isnull=True)
    return (unread[:cap] if cap else unread).count()


def mark_read(*, notification: Notification, user) -> Notification:
    """A user marks one of their own notifications read (idempotent)."""
    if notification.recipient_id != user.pk:
        raise NotPermitted(gettext("That notification is someone else's."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, user) -> int:
    return inbox(user).filter(read_at__isnull=True).update(read_at=timezone.now())
