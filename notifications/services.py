"""The outbox: notification rows are written in the same transaction as the event that causes
them, delivered by Celery after commit, swept when left pending, retried with backoff.

Guarantees (see the package docstring): nothing is lost (a row exists once the event commits;
the sweep re-dispatches what a dead broker or worker left behind, a dead worker's claims once
their lease is over); a batch is claimed in one transaction (``SELECT … FOR UPDATE SKIP
LOCKED``, then a lease no other worker takes over), so two workers never send one row; each
send's outcome is committed right after it, so a crash mid-send repeats only that send, with
the same idempotency key; each row has a unique ``dedupe_key``, so re-running a job creates
nothing new.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from core.errors import NotPermitted
from notifications import preferences, recipients
from notifications.channels.base import Channel, ChannelError
from notifications.channels.email import connection as email_connection
from notifications.channels.email import digest_message_id, preferences_link
from notifications.channels.registry import channel_for
from notifications.models import Notification
from products.models import Domain
from requests_app import sla
from requests_app.board import selectors as board_selectors
from requests_app.board.selectors import CycleCapacity
from requests_app.models import DataRequest, RequestEvent, RoadmapCycle

log = logging.getLogger(__name__)
User = get_user_model()
C = Notification.Channel
St = Notification.Status
MAX_ATTEMPTS = 6
BACKOFF_BASE_SECONDS = settings.NOTIFICATION_BACKOFF_BASE_SECONDS
BACKOFF_CAP_SECONDS = 3600
SWEEP_GRACE = dt.timedelta(minutes=2)
BATCH = 100
# A webhook may hang until its 5 s timeout: a batch of 8 ends well inside the task's 60 s
# soft time limit even if every receiver hangs, and never holds up in-app or email rows.
WEBHOOK_BATCH = 8
# deliver() starts no new send after this long and hands the rest to a new task, so slow
# channels rarely reach the soft time limit at all.
DELIVERY_BUDGET_SECONDS = 40.0
# A worker's lease on the rows it claimed (Notification.claimed_until): what one send can take
# (the longest channel timeout, SMTP's 10 s, within half of SEND_MARGIN_SECONDS), renewed right
# before a send when less than half of it is left (`_renew`). A worker killed mid-send holds its row only that long: the sweep sends it
# again (same idempotency key) once the lease is over. A row whose lease ran out while it waited
# in a batch is renewed only if no other worker took it meanwhile, so no row is sent by two.
SEND_MARGIN_SECONDS = 30.0
LEASE = dt.timedelta(seconds=SEND_MARGIN_SECONDS)


def _message(kind: str, **context) -> str:
    text = render_to_string("notifications/message.txt", {"kind": kind, **context})
    return " ".join(text.split())[:500]


def backoff(attempts: int) -> dt.timedelta:
    """Exponential backoff with full jitter: up to base × 2^(attempts-1), capped."""
    ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1))
    return dt.timedelta(seconds=random.uniform(ceiling / 2, ceiling))  # noqa: S311


# --- writing rows (inside the caller's transaction) ------------------------------------------


def _rows_for_users(
    *,
    kind: str,
    users: Iterable,
    key: str,
    message: str,
    request=None,
    cycle=None,
    path: str,
    stored: dict | None = None,
) -> list[Notification]:
    """One row per user and channel they keep on for ``kind``. Pass ``stored`` (from
    `preferences.choices_for`) when building rows for many groups, to read preferences once."""
    users = [u for u in users if u is not None and u.is_active]
    if stored is None:
        stored = preferences.choices_for(u.pk for u in users)
    rows = []
    for user in users:
        for channel in preferences.USER_CHANNELS:
            choice = preferences.effective(stored, user.pk, kind, channel)
            if not choice.enabled:
                continue
            rows.append(
                Notification(
                    recipient=user,
                    kind=kind,
                    request=request,
                    cycle=cycle,
                    channel=channel,
                    message=message,
                    payload={"path": path},
                    dedupe_key=f"{key}:u{user.pk}:{channel}",
                    digest="" if choice.digest == "immediate" else choice.digest,
                )
            )
    return rows


def _store(rows: list[Notification]) -> int:
    """Insert rows whose dedupe_key is new (in-app rows are delivered by being stored) and
    dispatch the immediate ones after commit. Returns how many rows were inserted, so a job
    run twice reports 0 the second time. (Two runs racing may both count a row; the unique
    dedupe_key still stores it once.)"""
    if not rows:
        return 0
    existing = set(
        Notification.objects.filter(dedupe_key__in=[r.dedupe_key for r in rows]).values_list(
            "dedupe_key", flat=True
        )
    )
    rows = [r for r in rows if r.dedupe_key not in existing]
    if not rows:
        return 0
    now = timezone.now()
    for row in rows:
        if row.channel == C.IN_APP:
            row.status, row.sent_at, row.attempts = St.SENT, now, 1
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    keys = [r.dedupe_key for r in rows if r.channel != C.IN_APP and not r.digest]
    if keys:
        pending = Notification.objects.filter(dedupe_key__in=keys, status=St.PENDING)
        for batch in batches(pending.values_list("pk", "channel")):
            transaction.on_commit(lambda batch=batch: _dispatch(batch), robust=True)
    return len(rows)


def batches(rows: Iterable[tuple[int, str]]) -> list[list[int]]:
    """Split (id, channel) pairs into delivery batches: webhooks apart from in-app and email,
    in small batches (WEBHOOK_BATCH), so a hanging receiver delays only a few webhooks."""
    by_kind: dict[bool, list[int]] = {False: [], True: []}  # fast channels first
    for pk, channel in rows:
        by_kind[channel == C.WEBHOOK].append(pk)
    out = []
    for is_webhook, ids in by_kind.items():
        size = WEBHOOK_BATCH if is_webhook else BATCH
        out += [ids[start : start + size] for start in range(0, len(ids), size)]
    return out


def _batches_of(ids: Iterable[int]) -> list[list[int]]:
    """`batches` for bare ids (one query for their channels), keeping the given order."""
    ids = list(ids)
    channels = dict(Notification.objects.filter(pk__in=ids).values_list("pk", "channel"))
    return batches((pk, channels[pk]) for pk in ids if pk in channels)


def dispatch_after_commit(ids: list[int]) -> None:
    """Hand rows to Celery once the transaction commits (never from inside it). If the broker
    is down the rows simply stay pending and the sweep sends them later: the request that
    caused them must not fail for that."""
    for batch in _batches_of(ids):
        transaction.on_commit(lambda batch=batch: _dispatch(batch), robust=True)


def dispatch_now(ids: list[int]) -> None:
    """Hand rows to Celery now, in batches (outside any transaction)."""
    for batch in _batches_of(ids):
        _dispatch(batch)


def _dispatch(ids: list[int]) -> None:
    from notifications.tasks import deliver_notifications

    try:
        deliver_notifications.delay(ids)
    except Exception as exc:  # broker unreachable: the sweep will pick these rows up
        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise
        log.warning("Could not dispatch notifications %s (%s); the sweep will retry.", ids, exc)


def enqueue_for_event(event: RequestEvent) -> int:
    """Subscriber of `requests_app.events`: write the event's notifications (same transaction);
    returns how many rows were new."""
    request = (
        DataRequest.objects.select_related("target_domain", "requester")
        .prefetch_related("watchers", "target_domain__leads")
        .filter(pk=event.request_id)
        .first()
    )
    if request is None:
        return 0
    event.request = request
    audience = recipients.audience_for(event)
    path = request.get_absolute_url()
    rows: list[Notification] = []
    for kind, users in audience.users.items():
        if not users:
            continue
        message = _message(kind, request=request, event=event, actor=event.actor)
        rows += _rows_for_users(
            kind=kind,
            users=users,
            key=f"event{event.pk}",
            message=message,
            request=request,
            path=path,
        )
    if audience.webhook:
        rows.append(
            Notification(
                domain=request.target_domain,
                kind="submitted",
                request=request,
                channel=C.WEBHOOK,
                message=_message("submitted", request=request, event=event, actor=event.actor),
                payload={"path": path},
                dedupe_key=f"event{event.pk}:d{request.target_domain_id}:webhook",
            )
        )
    return _store(rows)


def notify_review_ready(*, snapshot) -> int:
    """Tell the cycle's producing leads and requesters that its frozen review is ready (once
    per snapshot); returns how many rows were new."""
    cycle = snapshot.cycle
    filed = DataRequest.objects.filter(needed_by_cycle=cycle, submitted_at__isnull=False)
    users = User.objects.filter(
        Q(pk__in=filed.values("requester")) | Q(led_domains__in=filed.values("target_domain"))
    ).distinct()
    path = f"/cycles/{cycle.slug}/review/"
    rows = _rows_for_users(
        kind="review_ready",
        users=list(users),
        key=f"review{snapshot.pk}",
        message=_message("review_ready", cycle=cycle),
        cycle=cycle,
        path=path,
    )
    return _store(rows)


# --- delivering -------------------------------------------------------------------------------


def deliver(ids: Iterable[int]) -> dict[str, int]:
    """Deliver pending, due rows among ``ids``. They are claimed together under a lease, so
    no other worker takes them; each is then sent and its outcome recorded right after its
    own send (rows of a local channel, which reach no one, are marked together). One failure
    blocks no other: a failing row is retried on its own, and rows not reached within the
    time budget (or before the worker's soft time limit) go to a new task, never dropped."""
    ids = list(ids)
    counts: dict[str, int] = defaultdict(int)
    retry: list[tuple[int, dt.timedelta]] = []
    started = time.monotonic()
    claimed, until = False, None
    todo: list[Notification] = []  # claimed by this call, not tried yet, in the order of ids
    in_flight: Notification | None = None
    channels: dict[str, Channel] = {}

    def channel(kind: str) -> Channel:
        if kind not in channels:
            channels[kind] = channel_for(kind)
            channels[kind].open()
        return channels[kind]

    try:
        until, todo = _claim(ids)
        claimed = True
        if len(todo) < len(ids):  # sent already, leased by another worker, or not due
            counts["skipped"] = len(ids) - len(todo)
        local = [row for row in todo if channel(row.channel).local]
        if local:
            for pk, outcome, delay in _deliver_local(local, until, channel):
                counts[outcome] += 1
                if delay is not None:
                    retry.append((pk, delay))
            todo = [row for row in todo if not channel(row.channel).local]
        done = len(local)
        while todo:
            if done and time.monotonic() - started > DELIVERY_BUDGET_SECONDS:
                break
            row = todo[0]
            row_until = _renew(row, until)
            if row_until is None:  # another worker took it after this one's lease ran out
                todo.pop(0)
                counts["skipped"] += 1
                continue
            in_flight = row
            outcome, delay = _deliver_one(row, channel(row.channel), row_until)
            in_flight = None
            todo.pop(0)
            done += 1
            counts[outcome] += 1
            if delay is not None:
                retry.append((row.pk, delay))
    except SoftTimeLimitExceeded:
        # Usually raised inside a send. That row counts an attempt and waits for its backoff
        # like any failure (a receiver that always hangs ends failed); the rows not reached
        # yet go to a new task at once.
        log.warning("Soft time limit hit with %s of %s notifications left.", len(todo), len(ids))
        if in_flight is not None:
            todo.remove(in_flight)
            counts["interrupted"] += 1
            _, delay = _record_failure(
                in_flight, row_until, "The send did not finish within the task's time limit."
            )
            if delay is not None:
                retry.append((in_flight.pk, delay))
    except BaseException:
        # A bug or a lost database fails the task; the rows not tried yet are handed back
        # first, so they need not wait for the lease to run out. The row in flight keeps its
        # lease (whether it went out is unknown): the sweep sends it once the lease is over.
        if claimed:
            _release([row for row in todo if row is not in_flight], until, quietly=True)
        raise
    finally:
        for opened in channels.values():
            opened.close()
    rest = [row.pk for row in todo] if claimed else ids
    if claimed and todo:
        _release(todo, until)
    if rest:
        counts["redispatched"] += len(rest)
        _dispatch(rest)
    if retry and not settings.CELERY_TASK_ALWAYS_EAGER:
        from notifications.tasks import deliver_notifications

        for pk, delay in retry:
            try:
                deliver_notifications.apply_async(([pk],), countdown=delay.total_seconds())
            except Exception as exc:  # the sweep retries it once due (next_attempt_at is set)
                log.warning("Could not schedule the retry of %s: %s", pk, exc)
    return dict(counts)


def _claim(ids: list[int]) -> tuple[dt.datetime, list[Notification]]:
    """Lease the pending, due and unleased rows among ``ids`` to this worker, in one short
    transaction: rows another worker is claiming at the same moment are skipped (SKIP
    LOCKED), rows it claimed before carry its lease and are filtered out. Returns the lease's
    end and the rows (with their recipient and domain), in the order of ``ids``."""
    now = timezone.now()
    until = now + LEASE
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "domain")
            .filter(pk__in=ids, status=St.PENDING, digest="")
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
            .order_by()
        )
        if rows:
            Notification.objects.filter(pk__in=[r.pk for r in rows]).update(claimed_until=until)
    position = {pk: i for i, pk in enumerate(ids)}
    rows.sort(key=lambda row: position[row.pk])
    return until, rows


def _renew(row: Notification, until: dt.datetime) -> dt.datetime | None:
    """Make sure this worker's lease on ``row`` covers one more send, right before it: kept as
    it is while more than half of it is left (any send ends within that, no query), renewed
    otherwise; None when the row is no longer this worker's (its lease ran out while it waited
    and another worker took it)."""
    now = timezone.now()
    if until - now > LEASE / 2:
        return until
    renewed = now + LEASE
    taken = Notification.objects.filter(pk=row.pk, claimed_until=until, status=St.PENDING)
    return renewed if taken.update(claimed_until=renewed) else None


def _settle(row: Notification, until: dt.datetime, **fields) -> None:
    """Record a claimed row's outcome and end its lease: one statement, committed at once, so
    nothing about a finished send is lost or repeated if the worker dies right after."""
    updated = Notification.objects.filter(pk=row.pk, claimed_until=until).update(
        claimed_until=None, **fields
    )
    if not updated:  # only if this worker outlived its lease, which the budget prevents
        log.error("Notification %s: the lease ran out before its outcome was recorded.", row.pk)


def _release(rows: list[Notification], until: dt.datetime, quietly: bool = False) -> None:
    """Hand claimed rows back untried (their lease ends now)."""
    if not rows:
        return
    try:
        Notification.objects.filter(pk__in=[r.pk for r in rows], claimed_until=until).update(
            claimed_until=None
        )
    except Exception:
        if not quietly:
            raise
        log.exception("Could not release %s claimed notifications; their lease runs out.", rows)


def _deliver_one(
    row: Notification, channel: Channel, until: dt.datetime
) -> tuple[str, dt.timedelta | None]:
    """Send one claimed row, then record the outcome at once: a crash before that repeats
    only this send (with the same idempotency key), a crash after it repeats nothing."""
    try:
        channel.send(row)
    except ChannelError as exc:
        return _record_failure(row, until, exc.message, permanent=exc.permanent)
    _settle(
        row, until, status=St.SENT, sent_at=timezone.now(), attempts=row.attempts + 1, last_error=""
    )
    return "sent", None


def _deliver_local(
    rows: list[Notification], until: dt.datetime, channel: Callable[[str], Channel]
) -> list[tuple[int, str, dt.timedelta | None]]:
    """Rows of local channels (the inbox): each is sent (nothing leaves the database), then
    all that succeeded are marked sent in one statement. A crash in between repeats none of
    them anywhere, so they need no mark of their own. Returns (id, outcome, retry delay)."""
    outcomes, accepted = [], []
    for row in rows:
        try:
            channel(row.channel).send(row)
        except ChannelError as exc:
            outcomes.append((row.pk, *_record_failure(row, until, exc.message, exc.permanent)))
        else:
            accepted.append(row.pk)
    if accepted:
        Notification.objects.filter(pk__in=accepted, claimed_until=until).update(
            status=St.SENT,
            sent_at=timezone.now(),
            attempts=F("attempts") + 1,
            last_error="",
            claimed_until=None,
        )
        outcomes += [(pk, "sent", None) for pk in accepted]
    return outcomes


def _record_failure(
    row: Notification, until: dt.datetime, error: str, permanent: bool = False
) -> tuple[str, dt.timedelta | None]:
    """Count a failed attempt: `failed` for good (permanent, or out of attempts) with the
    error kept, or pending again after a backoff. Returns the outcome and the retry delay."""
    attempts, error = row.attempts + 1, error[:2000]
    if permanent or attempts >= MAX_ATTEMPTS:
        _settle(row, until, status=St.FAILED, attempts=attempts, last_error=error)
        log.warning("Notification %s failed for good: %s", row.pk, error)
        return "failed", None
    delay = backoff(attempts)
    _settle(row, until, attempts=attempts, last_error=error, next_attempt_at=timezone.now() + delay)
    return "retrying", delay


def sweep(now: dt.datetime | None = None) -> int:
    """Re-dispatch immediate rows left pending (broker down, task lost, retry due, or the
    lease of a worker that died ran out)."""
    now = now or timezone.now()
    rows = list(
        Notification.objects.filter(status=St.PENDING, digest="")
        .filter(
            Q(next_attempt_at__lte=now)
            | Q(next_attempt_at__isnull=True, created_at__lte=now - SWEEP_GRACE)
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
        .order_by("pk")
        .values_list("pk", "channel")[:5000]
    )
    for batch in batches(rows):
        _dispatch(batch)
    return len(rows)


@transaction.atomic
def retry_failed(ids: Iterable[int]) -> int:
    """Put failed rows back in the queue (from the admin); they are delivered after commit."""
    ids = list(
        Notification.objects.filter(pk__in=list(ids), status=St.FAILED).values_list("pk", flat=True)
    )
    Notification.objects.filter(pk__in=ids).update(
        status=St.PENDING, attempts=0, next_attempt_at=None, last_error="", claimed_until=None
    )
    if ids:
        dispatch_after_commit(ids)
    return len(ids)


# --- the inbox --------------------------------------------------------------------------------


def inbox(user):
    """The user's in-app notifications, newest first."""
    return Notification.objects.filter(recipient=user, channel=C.IN_APP).order_by(
        "-created_at", "-pk"
    )


def unread_count(user) -> int:
    return inbox(user).filter(read_at__isnull=True).count()


def mark_read(*, notification: Notification, user) -> Notification:
    """A user marks one of their own notifications read (idempotent)."""
    if notification.recipient_id != user.pk:
        raise NotPermitted("That notification is someone else's.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, user) -> int:
    return inbox(user).filter(read_at__isnull=True).update(read_at=timezone.now())


# --- periodic work ----------------------------------------------------------------------------


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
        rows += _rows_for_users(
            kind="triage_overdue",
            users=domain.leads.all(),
            key=f"overdue:d{domain.pk}:{day}",
            message=_message("triage_overdue", domain=domain, count=domain.overdue),
            path=f"/domains/{domain.slug}/triage/",
        )
    return _store(rows)


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
            rows += _rows_for_users(
                kind="deadline_approaching",
                users=people.values(),
                key=f"deadline:c{cycle.pk}:{days}d",
                message=_message("deadline_approaching", cycle=cycle, days=days),
                cycle=cycle,
                path=cycle.get_absolute_url(),
            )
    return _store(rows)


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
    stored = preferences.choices_for({u.pk for d in domains for u in d.leads.all()})
    rows = []
    for domain in domains:
        rows += _rows_for_users(
            stored=stored,
            kind="planning_digest",
            users=domain.leads.all(),
            key=f"planning:d{domain.pk}:{year}w{week}",
            message=_message("planning_digest", domain=domain, loads=loads.get(domain.pk, [])),
            path=f"/domains/{domain.slug}/board/",
        )
    return _store(rows)


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
    for user in User.objects.filter(pk__in=list(user_ids)).order_by("pk"):
        sent += _send_digest(user, mode, now)
    return sent


@transaction.atomic
def _send_digest(user, mode: str, now: dt.datetime) -> int:
    """One user's digest, its rows claimed (SKIP LOCKED) so two runs never mail it twice."""
    from django.core.mail import EmailMultiAlternatives

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
    message = EmailMultiAlternatives(
        subject=f"[Upstream] Your {mode} digest: {count} update{'s' if count != 1 else ''}",
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
