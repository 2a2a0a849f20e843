"""Reminders written by the periodic jobs: triage overdue, and request deadlines approaching."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from notifications.models import Notification
from notifications.services.outbox import notification_message, rows_for_users, store_rows
from notifications.subscriptions.rows import rows_for_notice
from products.models import Domain
from requests_app import sla
from requests_app.models import DataRequest, RoadmapCycle

User = get_user_model()


@transaction.atomic
def remind_triage_overdue(now: dt.datetime | None = None) -> int:
    """Daily: each lead of a domain with requests untriaged past the SLA hears once that day.
    Returns the number of rows inserted (0 when run again the same day)."""
    now = now or timezone.now()
    day = timezone.localdate(now).isoformat()
    cutoff = sla.overdue_cutoff(now)
    domains = (
        Domain.objects.annotate(
            overdue=Count(
                "incoming_requests",
                filter=Q(
                    incoming_requests__status=DataRequest.Status.SUBMITTED,
                    incoming_requests__submitted_at__lt=cutoff,
                ),
            )
        )
        .filter(overdue__gt=0)
        .prefetch_related("leads")
    )
    rows = []
    for domain in domains:
        message = notification_message("triage_overdue", domain=domain, count=domain.overdue)
        rows += rows_for_users(
            kind=Notification.Kind.TRIAGE_OVERDUE,
            users=domain.leads.all(),
            key=f"overdue:d{domain.pk}:{day}",
            message=message,
            path=f"/domains/{domain.slug}/triage/",
        )
        rows += rows_for_notice(
            type_="triage_overdue",
            domain_ids={domain.pk},
            key=f"overdue:d{domain.pk}:{day}",
            message=message,
            path=f"/domains/{domain.slug}/triage/",
            domain=domain.slug,
            count=domain.overdue,
        )
    return store_rows(rows)


REMINDER_DAYS = (14, 7, 1)


@transaction.atomic
def remind_deadlines(today: dt.date | None = None) -> int:
    """14, 7 and 1 days before a cycle's request deadline: PMs with drafts for it, and leads.
    Returns the number of rows inserted (0 when run again the same day)."""
    today = today or timezone.localdate()
    rows = []
    leads = list(User.objects.filter(led_domains__isnull=False, is_active=True).distinct())
    for days in REMINDER_DAYS:
        for cycle in RoadmapCycle.objects.filter(request_deadline=today + dt.timedelta(days=days)):
            drafters = User.objects.filter(
                data_requests__status=DataRequest.Status.DRAFT,
                data_requests__needed_by_cycle=cycle,
                is_active=True,
            ).distinct()
            people = {u.pk: u for u in [*leads, *drafters]}
            message = notification_message("deadline_approaching", cycle=cycle, days=days)
            rows += rows_for_users(
                kind=Notification.Kind.DEADLINE_APPROACHING,
                users=people.values(),
                key=f"deadline:c{cycle.pk}:{days}d",
                message=message,
                cycle=cycle,
                path=cycle.get_absolute_url(),
            )
            rows += rows_for_notice(
                type_="deadline_approaching",
                domain_ids=None,  # every domain files for every cycle
                key=f"deadline:c{cycle.pk}:{days}d",
                message=message,
                path=cycle.get_absolute_url(),
                cycle=cycle,
                cycle_slug=cycle.slug,
                days=days,
            )
    return store_rows(rows)
