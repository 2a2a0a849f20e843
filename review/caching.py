"""The live review, cached: computed once per cycle and data version, not on every view.

A cached review is keyed by the cycle and by the **review data version**, a token in Django's
cache (Redis in production, so every web worker shares it) that moves on after any write that can
change a figure has committed: `review_data_changed()`, called from the model signals in
`review.signals` and from the few writes that bypass them. A reader takes the version *before* it
computes and stores what it computed under that version. The key also holds the triage-overdue
cutoff of the moment (the one figure that changes with the clock: it moves at local midnight) and
the database the figures come from.

Why the version moves only after commit (``transaction.on_commit``): if it moved inside the
writing transaction, a reader could take the new version, compute from the data as it was before
the commit (the write is not visible to it yet) and store those old figures under the new
version, where they would stay until the next write. Moving it after commit, a reader that took
the old version may still compute with or without the write, but it stores under the old version,
which no reader asks for any more; a reader that takes the new version started after the commit
and sees the write. Writes that no hook sees (raw SQL, bulk loaders) are bounded by the timeout.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction

from requests_app import sla

# A bound on staleness from a write no hook sees; within it the version does the work.
TIMEOUT_SECONDS = 60 * 60
# Bump when the review's shape changes, so a deploy never reads reviews cached by older code.
FORMAT = 1


def _namespace(using: str = DEFAULT_DB_ALIAS) -> str:
    """The database the figures come from: two databases sharing one cache (the bench's sizes,
    staging beside production) never answer for each other."""
    db = settings.DATABASES[using]
    where = f"{db.get('HOST', '')}:{db.get('PORT', '')}/{db.get('NAME', '')}"
    return "review:" + hashlib.sha1(where.encode()).hexdigest()[:12]


def data_version(using: str = DEFAULT_DB_ALIAS) -> str:
    """The current review data version (a token, created on first use)."""
    key = f"{_namespace(using)}:version"
    version = cache.get(key)
    if version is None:
        # A fresh random token, never a counter restarting at 0: if the key was evicted, reviews
        # cached under an earlier version are never taken for current.
        cache.add(key, uuid.uuid4().hex, timeout=None)
        version = cache.get(key)
    # Redis unreachable (core.cache answers a miss): a version of this call alone, so nothing
    # read or stored meanwhile is ever taken for current.
    return version or uuid.uuid4().hex


def review_data_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """A write that can change a review figure: once the current transaction commits (at once
    outside one), every cached review is out of date. Cheap; call it as often as needed."""

    def bump() -> None:
        cache.set(f"{_namespace(using)}:version", uuid.uuid4().hex, timeout=None)

    # Robust: the data is committed already; a cache that cannot be reached must not turn the
    # write into an error (the timeout still bounds what is served).
    transaction.on_commit(bump, using=using, robust=True)


def cached_review(
    *, cycle_id: int, now: dt.datetime, compute: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """The review of the cycle from the cache, or ``compute()`` stored there (for the current
    version, read before computing)."""
    return _cached(_key(cycle_id, now), compute)


def cached_review_part(
    *, cycle_id: int, now: dt.datetime, part: str, compute: Callable[[], Any]
) -> Any:
    """Something built from the cycle's review (the page's tables with their thousands of filter
    links, its charts), cached beside it under the same version, so it is built once per data
    version rather than on every view. ``compute`` must read the review itself (after this reads
    the version), never be handed one read before: then what it stores is never older than the
    version it is stored under."""
    return _cached(f"{_key(cycle_id, now)}:{part}", compute)


def _key(cycle_id: int, now: dt.datetime) -> str:
    version = data_version()
    cutoff = sla.overdue_cutoff(now).isoformat()
    return (
        f"{_namespace()}:{FORMAT}:{cycle_id}:{version}:{settings.TRIAGE_SLA_WORKING_DAYS}:{cutoff}"
    )


def _cached(key: str, compute: Callable[[], Any]) -> Any:
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=TIMEOUT_SECONDS)
    return value
