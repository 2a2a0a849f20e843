"""What each user wants to hear about, and how: defaults plus their own choices.

Defaults (the issue: "in-app always, email immediate for decisions and mentions, digest for the
rest"): in-app always on; email at once for decisions and mentions, and for the few kinds listed
in IMMEDIATE_EMAIL with the reason; everything else (new requests, comments, the weekly planning
digest) in the daily email digest. Webhooks belong to domains.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from notifications.models import Notification, NotificationPreference

C = Notification.Channel
D = NotificationPreference.Digest

K = Notification.Kind
KINDS: dict[str, str] = dict(K.choices)
USER_CHANNELS = (C.IN_APP, C.EMAIL)
DECISIONS = {K.TRIAGED, K.ACCEPTED, K.DECLINED, K.DEFERRED, K.DUPLICATE, K.DELIVERED}
IMMEDIATE_EMAIL = DECISIONS | {
    K.MENTION,
    # Reminders exist to chase people before a date passes: a digest would deliver the nudge
    # up to a day late, after the SLA or the deadline it warns about. Each goes out at most
    # once per domain/cycle and day, so they cannot flood an inbox.
    K.TRIAGE_OVERDUE,
    K.DEADLINE_APPROACHING,
    # Once a cycle, ahead of the review meeting (review_on) it exists for: a digest could
    # deliver it after the meeting, and one email a quarter floods no one.
    K.REVIEW_READY,
    # A tracker says the work is done: the leads deliver the request now. A paused
    # subscription means lost events until someone fixes it.
    K.WORK_ITEM_DONE,
    K.SUBSCRIPTION_PAUSED,
    # Asks that wait on someone's answer: a product that may answer a need, a consumer to confirm.
    K.PRODUCT_MAY_ANSWER,
    K.CONSUMER_REQUESTED,
    K.CONSUMER_DECIDED,
}
# Kinds that are digests themselves: sent once a week on their own schedule, so they are never
# bundled into another digest (a "daily" weekly digest is nonsense) and offer no timing choice.
OWN_SCHEDULE = {K.PLANNING_DIGEST}


def digests_for(kind: str) -> list[str]:
    """The email timings a kind offers: all of them, or only "as sent" for the weekly digest."""
    return [D.IMMEDIATE] if kind in OWN_SCHEDULE else list(D.values)


@dataclass(frozen=True)
class Choice:
    enabled: bool
    digest: str  # immediate / daily / weekly (email only)


def default(kind: str, channel: str) -> Choice:
    if channel == C.IN_APP:
        return Choice(True, D.IMMEDIATE)
    immediate = kind in IMMEDIATE_EMAIL or kind in OWN_SCHEDULE
    return Choice(True, D.IMMEDIATE if immediate else D.DAILY)


def choices_for(user_ids) -> dict[tuple[int, str, str], Choice]:
    """Stored choices of many users at once (one query): (user, kind, channel) → Choice."""
    rows = NotificationPreference.objects.filter(user_id__in=list(user_ids)).values_list(
        "user_id", "kind", "channel", "enabled", "digest"
    )
    return {(u, k, c): Choice(e, d) for u, k, c, e, d in rows}


def effective(stored: dict, user_id: int, kind: str, channel: str) -> Choice:
    return stored.get((user_id, kind, channel)) or default(kind, channel)


def preferences_of(user) -> list[dict]:
    """Every kind × channel with the user's effective choice, for the page and the API."""
    stored = choices_for([user.pk])
    out = []
    for kind, label in KINDS.items():
        for channel in USER_CHANNELS:
            choice = effective(stored, user.pk, kind, channel)
            out.append(
                {
                    "kind": kind,
                    "label": label,
                    "channel": channel,
                    "enabled": choice.enabled,
                    "digest": choice.digest,
                    "digests": digests_for(kind),
                }
            )
    return out


@transaction.atomic
def preferences_update(*, user, changes: list[dict]) -> list[dict]:
    """Save a user's choices (their own only). Unknown kinds/channels are refused with a list
    of the valid ones; digests apply to email (in-app is always immediate)."""
    errors = []
    for i, change in enumerate(changes):
        kind, channel = change.get("kind"), change.get("channel")
        if kind not in KINDS:
            errors.append(f"Item {i + 1}: unknown kind {kind!r}; valid: {', '.join(KINDS)}.")
            continue
        if channel not in USER_CHANNELS:
            errors.append(f"Item {i + 1}: unknown channel {channel!r}; valid: in_app, email.")
            continue
        digest = change.get("digest", D.IMMEDIATE) or D.IMMEDIATE
        if digest not in D.values:
            errors.append(f"Item {i + 1}: digest must be one of {', '.join(D.values)}.")
            continue
        if digest not in digests_for(kind):
            errors.append(
                _("Item %(n)s: %(kind)s is sent weekly on its own schedule.")
                % {"n": i + 1, "kind": KINDS[kind]}
            )
            continue
        if channel == C.IN_APP and digest != D.IMMEDIATE:
            errors.append(f"Item {i + 1}: in-app notifications are always immediate.")
            continue
        NotificationPreference.objects.update_or_create(
            user=user,
            kind=kind,
            channel=channel,
            defaults={"enabled": bool(change.get("enabled", True)), "digest": digest},
        )
    if errors:
        raise ValidationError({"preferences": errors})
    return preferences_of(user)
