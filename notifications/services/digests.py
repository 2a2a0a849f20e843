"""Digests: the weekly planning digest for leads, and daily or weekly email digests."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from notifications import preferences
from notifications.channels.email import connection as email_connection
from notifications.channels.email import digest_message_id, preferences_link
from notifications.language import language_of, languages_of
from notifications.models import Notification
from notifications.services.delivery import MAX_ATTEMPTS
from notifications.services.outbox import notification_message, rows_for_users, store_rows
from products.models import Domain
from requests_app import sla
from requests_app.board import selectors as board_selectors
from requests_app.board.selectors import CycleCapacity
from requests_app.models import DataRequest

log = logging.getLogger(__name__)
User = get_user_model()
C = Notification.Channel
St = Notification.Status


def _cycle_loads(domains: list[Domain], today: dt.date) -> dict[int, list[CycleCapacity]]:
    """Per domain: every open cycle (the first one always, later ones when work is planned
    there) with the effort committed and the capacity (the board's capacity selector)."""
    cycles = board_selectors.open_cycles()
    by_key = board_selectors.capacities(domains=domains, cycles=cycles)
    return {
        domain.pk: [
            by_key[(domain.pk, cycle.pk)]
            for i, cycle in enumerate(cycles)
            if i == 0 or by_key[(domain.pk, cycle.pk)].used
        ]
        for domain in domains
    }


@transaction.atomic
def send_planning_digest(now: dt.datetime | None = None) -> int:
    """Weekly, to leads: new requests, untriaged, overdue, and capacity used in every open
    cycle (the current or next one, and later ones with planned work). Once per domain and
    ISO week; returns the number of rows inserted."""
    now = now or timezone.now()
    year, week, _ = timezone.localdate(now).isocalendar()
    cutoff = sla.overdue_cutoff(now)
    S = DataRequest.Status
    domains = list(
        Domain.objects.filter(leads__isnull=False)
        .distinct()
        .annotate(
            new=Count(
                "incoming_requests",
                filter=Q(incoming_requests__submitted_at__gte=now - dt.timedelta(days=7)),
                distinct=True,
            ),
            untriaged=Count(
                "incoming_requests", filter=Q(incoming_requests__status=S.SUBMITTED), distinct=True
            ),
            overdue=Count(
                "incoming_requests",
                filter=Q(
                    incoming_requests__status=S.SUBMITTED,
                    incoming_requests__submitted_at__lt=cutoff,
                ),
                distinct=True,
            ),
        )
        .prefetch_related("leads")
    )
    loads = _cycle_loads(domains, timezone.localdate(now))
    lead_ids = {u.pk for d in domains for u in d.leads.all()}
    stored = preferences.choices_for(lead_ids)
    languages = languages_of(lead_ids)
    rows = []
    for domain in domains:
        rows += rows_for_users(
            stored=stored,
            languages=languages,
            kind=Notification.Kind.PLANNING_DIGEST,
            users=domain.leads.all(),
            key=f"planning:d{domain.pk}:{year}w{week}",
            message=notification_message(
                "planning_digest", domain=domain, loads=loads.get(domain.pk, [])
            ),
            path=f"/domains/{domain.slug}/board/",
        )
    return store_rows(rows)


def send_email_digests(mode: str, now: dt.datetime | None = None) -> int:
    """Daily or weekly: one email per user with everything waiting for that digest; returns
    how many emails went out. Each user is handled on their own: rows of a user without an
    email address end `skipped`; a mail error keeps that user's rows pending with the error
    (tried again at the next digest, `failed` after MAX_ATTEMPTS) and the loop goes on."""
    now = now or timezone.now()
    user_ids = (
        Notification.objects.filter(status=St.PENDING, digest=mode, channel=C.EMAIL)
        .values_list("recipient", flat=True)
        .distinct()
    )
    sent = 0
    for user in User.objects.filter(pk__in=list(user_ids)).select_related("profile").order_by("pk"):
        sent += _send_digest(user, mode, now)
    return sent


@transaction.atomic
def _send_digest(user, mode: str, now: dt.datetime) -> int:
    """One user's digest, its rows claimed (SKIP LOCKED) so two runs never mail it twice."""
    rows = list(
        Notification.objects.select_for_update(skip_locked=True)
        .filter(recipient=user, status=St.PENDING, digest=mode, channel=C.EMAIL)
        .order_by("created_at", "pk")
    )
    if not rows:
        return 0
    waiting = Notification.objects.filter(pk__in=[r.pk for r in rows])
    if not user.email:
        waiting.update(
            status=St.SKIPPED, last_error="The recipient has no email address.", attempts=1
        )
        return 0
    context = {
        "user": user,
        "rows": rows,
        "mode": mode,
        "site_url": settings.SITE_URL,
        "preferences_link": preferences_link(),
    }
    count = len(rows)
    with translation.override(language_of(user)):
        subject = (
            ngettext(
                "Your daily digest: %(count)d update", "Your daily digest: %(count)d updates", count
            )
            if mode == "daily"
            else ngettext(
                "Your weekly digest: %(count)d update",
                "Your weekly digest: %(count)d updates",
                count,
            )
        ) % {"count": count}
        message = EmailMultiAlternatives(
            subject=f"[Upstream] {subject}",
            body=render_to_string("notifications/email/digest.txt", context),
            to=[user.email],
            headers={
                "Message-ID": digest_message_id(
                    user_id=user.pk, mode=mode, dedupe_keys=[r.dedupe_key for r in rows]
                )
            },
            connection=email_connection(),
        )
        message.attach_alternative(
            render_to_string("notifications/email/digest.html", context), "text/html"
        )
    try:
        message.send()
    except OSError as exc:  # SMTP errors are OSError subclasses
        log.warning("The %s digest of user %s was not accepted: %s", mode, user.pk, exc)
        error = f"Digest email not accepted: {exc}"[:2000]
        # Rows on their last attempt fail (first, so the increment below cannot move them).
        waiting.filter(attempts__gte=MAX_ATTEMPTS - 1).update(
            attempts=F("attempts") + 1, last_error=error, status=St.FAILED
        )
        waiting.filter(status=St.PENDING).update(attempts=F("attempts") + 1, last_error=error)
        return 0
    waiting.update(status=St.SENT, sent_at=now, attempts=F("attempts") + 1, last_error="")
    return 1
