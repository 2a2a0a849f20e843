"""The outbox: notification rows are written in the same transaction as the event that causes
them (one row per recipient, event and channel, unique by ``dedupe_key``), and handed to Celery
only after that transaction commits; if the broker is down they stay pending for the sweep."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from celery import current_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from notifications import preferences, recipients
from notifications.language import languages_of
from notifications.models import Notification
from notifications.subscriptions import rows as subscription_rows
from notifications.subscriptions.envelope import TYPE_OF_REQUEST_EVENT
from requests_app.models import DataRequest, RequestEvent

log = logging.getLogger(__name__)
User = get_user_model()
C = Notification.Channel
St = Notification.Status


DELIVER_TASK = "notifications.tasks.deliver_notifications"
BATCH = 100


# A webhook may hang until its 5 s timeout: a batch of 8 ends well inside the task's 60 s
# soft time limit even if every receiver hangs, and never holds up in-app or email rows.
WEBHOOK_BATCH = 8


def deliver_task():
    """The delivery task, by its registered name: services hand rows to it, and the task module
    calls the services, so neither imports the other."""
    return current_app.tasks[DELIVER_TASK]


@dataclass(frozen=True)
class Message:
    """A notification's text before it is rendered: each recipient reads it in their language."""

    kind: str
    context: dict

    def render(self, language: str | None = None) -> str:
        with translation.override(language or settings.LANGUAGE_CODE):
            text = render_to_string(
                "notifications/message.txt", {"kind": self.kind, **self.context}
            )
        return " ".join(text.split())[:500]

    def __str__(self) -> str:
        return self.render()


def notification_message(kind: str, **context) -> Message:
    return Message(kind, context)


def rows_for_users(
    *,
    kind: str,
    users: Iterable,
    key: str,
    message: Message | str,
    request=None,
    cycle=None,
    path: str,
    stored: dict | None = None,
    languages: dict | None = None,
) -> list[Notification]:
    """One row per user and channel they keep on for ``kind``. Pass ``stored`` (from
    `preferences.choices_for`) and ``languages`` (from `languages_of`) when building rows for many
    groups, to read preferences and languages once. Each row's text is in its recipient's language."""
    users = [u for u in users if u is not None and u.is_active]
    if stored is None:
        stored = preferences.choices_for(u.pk for u in users)
    if languages is None:
        languages = languages_of(u.pk for u in users) if isinstance(message, Message) else {}
    texts: dict[str, str] = {}
    rows = []
    for user in users:
        language = languages.get(user.pk, "")
        if language not in texts:
            texts[language] = message.render(language) if isinstance(message, Message) else message
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
                    message=texts[language],
                    payload={"path": path},
                    dedupe_key=f"{key}:u{user.pk}:{channel}",
                    digest="" if choice.digest == "immediate" else choice.digest,
                )
            )
    return rows


def store_rows(rows: list[Notification]) -> int:
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
            transaction.on_commit(lambda batch=batch: dispatch(batch), robust=True)
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


def batches_of(ids: Iterable[int]) -> list[list[int]]:
    """`batches` for bare ids (one query for their channels), keeping the given order."""
    ids = list(ids)
    channels = dict(Notification.objects.filter(pk__in=ids).values_list("pk", "channel"))
    return batches((pk, channels[pk]) for pk in ids if pk in channels)


def dispatch_after_commit(ids: list[int]) -> None:
    """Hand rows to Celery once the transaction commits (never from inside it). If the broker
    is down the rows simply stay pending and the sweep sends them later: the request that
    caused them must not fail for that."""
    for batch in batches_of(ids):
        transaction.on_commit(lambda batch=batch: dispatch(batch), robust=True)


def dispatch_now(ids: list[int]) -> None:
    """Hand rows to Celery now, in batches (outside any transaction)."""
    for batch in batches_of(ids):
        dispatch(batch)


def dispatch(ids: list[int]) -> None:
    try:
        deliver_task().delay(ids)
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
        message = notification_message(kind, request=request, event=event, actor=event.actor)
        rows += rows_for_users(
            kind=kind,
            users=users,
            key=f"event{event.pk}",
            message=message,
            request=request,
            path=path,
        )
    rows += _subscription_rows(event, request)
    if audience.webhook and not _migrated(request.target_domain):
        rows.append(
            Notification(
                domain=request.target_domain,
                kind=Notification.Kind.SUBMITTED,
                request=request,
                channel=C.WEBHOOK,
                # A team's channel reads the site's language.
                message=notification_message(
                    "submitted", request=request, event=event, actor=event.actor
                ).render(),
                payload={"path": path},
                dedupe_key=f"event{event.pk}:d{request.target_domain_id}:webhook",
            )
        )
    return store_rows(rows)


def _subscription_rows(event: RequestEvent, request: DataRequest) -> list[Notification]:
    """The event's rows for the subscriptions that hear it (see `subscriptions.rows`)."""
    type_ = TYPE_OF_REQUEST_EVENT.get(event.kind)
    if type_ is None:
        return []
    kind = "comment" if type_ == "commented" else type_
    # Subscriptions reach a team's channel: the site's language.
    message = notification_message(kind, request=request, event=event, actor=event.actor).render()
    if not message:  # a kind the message template does not word yet
        message = f'{request.key} "{request.title}": {event.get_kind_display().lower()}.'
    return subscription_rows.rows_for_request_event(event, request, message)


def _migrated(domain) -> bool:
    """The v1 domain webhook became a subscription (data migration): that subscription
    delivers it now, so the legacy row would be a second copy."""
    return domain.subscriptions.filter(url=domain.webhook_url).exists()


def notify_review_ready(*, snapshot) -> int:
    """Tell the cycle's producing leads and requesters that its frozen review is ready (once
    per snapshot); returns how many rows were new."""
    cycle = snapshot.cycle
    filed = DataRequest.objects.filter(needed_by_cycle=cycle, submitted_at__isnull=False)
    users = User.objects.filter(
        Q(pk__in=filed.values("requester")) | Q(led_domains__in=filed.values("target_domain"))
    ).distinct()
    path = f"/cycles/{cycle.slug}/review/"
    rows = rows_for_users(
        kind=Notification.Kind.REVIEW_READY,
        users=list(users),
        key=f"review{snapshot.pk}",
        message=notification_message("review_ready", cycle=cycle),
        cycle=cycle,
        path=path,
    )
    rows += subscription_rows.rows_for_notice(
        type_="review_ready",
        domain_ids=set(filed.values_list("target_domain", flat=True)),
        key=f"review{snapshot.pk}",
        message=notification_message("review_ready", cycle=cycle),
        path=path,
        cycle=cycle,
        cycle_slug=cycle.slug,
    )
    return store_rows(rows)
