"""Delivery: claim a batch under a lease, send each row through its channel, record each outcome
right after the send, retry with backoff, end ``failed`` with the error kept; the sweep
re-dispatches rows left pending.

Guarantees: nothing is lost (a row exists once the event commits; the sweep re-dispatches what a
dead broker or worker left behind, a dead worker's claims once their lease is over); a batch is
claimed in one transaction (``SELECT … FOR UPDATE SKIP LOCKED``, then a lease no other worker
takes over), so two workers never send one row; a crash mid-send repeats only that send, with the
same idempotency key (delivery is at least once, with a stable idempotency key)."""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext

from notifications.channels.base import Channel, ChannelError
from notifications.channels.registry import channel_for
from notifications.models import Notification
from notifications.services.outbox import batches, deliver_task, dispatch, dispatch_after_commit

log = logging.getLogger(__name__)
St = Notification.Status


MAX_ATTEMPTS = 6


BACKOFF_BASE_SECONDS = settings.NOTIFICATION_BACKOFF_BASE_SECONDS


BACKOFF_CAP_SECONDS = 3600


SWEEP_GRACE = dt.timedelta(minutes=2)


# deliver() starts no new send after this long and hands the rest to a new task, so slow
# channels rarely reach the soft time limit at all.
DELIVERY_BUDGET_SECONDS = 40.0


# A worker's lease on the rows it claimed (Notification.claimed_until): what one send can take
# (the longest channel timeout, SMTP's 10 s, within half of SEND_MARGIN_SECONDS), renewed right
# before a send when less than half of it is left (`_renew`). A worker killed mid-send holds its
# row only that long: the sweep sends it again (same idempotency key) once the lease is over. A
# row whose lease ran out while it waited in a batch is renewed only if no other worker took it
# meanwhile, so no row is sent by two.
SEND_MARGIN_SECONDS = 30.0
LEASE = dt.timedelta(seconds=SEND_MARGIN_SECONDS)


def backoff(attempts: int) -> dt.timedelta:
    """Exponential backoff with full jitter: up to base × 2^(attempts-1), capped."""
    ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1))
    return dt.timedelta(seconds=random.uniform(ceiling / 2, ceiling))  # noqa: S311


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
                in_flight,
                row_until,
                gettext("The send did not finish within the task's time limit."),
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
        dispatch(rest)
    if retry and not settings.CELERY_TASK_ALWAYS_EAGER:
        for pk, delay in retry:
            try:
                deliver_task().apply_async(([pk],), countdown=delay.total_seconds())
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
            .select_related("recipient__profile", "domain", "subscription")
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
        dispatch(batch)
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
