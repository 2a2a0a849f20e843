"""Working-day arithmetic for the triage SLA (pure functions, no ORM)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Mon–Fri days after ``start`` up to and including ``end`` (0 when end <= start)."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, extra = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, extra + 1):
        if (start + dt.timedelta(days=offset)).weekday() < 5:
            count += 1
    return count


def triage_age(submitted_at: dt.datetime | None, now: dt.datetime | None = None) -> int:
    """Working days a submitted request has waited for triage."""
    if submitted_at is None:
        return 0
    now = now or timezone.now()
    return working_days_between(timezone.localdate(submitted_at), timezone.localdate(now))


def is_triage_overdue(submitted_at: dt.datetime | None, now: dt.datetime | None = None) -> bool:
    """Untriaged past the SLA (``TRIAGE_SLA_WORKING_DAYS`` working days)."""
    return triage_age(submitted_at, now) > settings.TRIAGE_SLA_WORKING_DAYS


def overdue_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Submitted before this instant means overdue now, so lists filter in SQL
    (`submitted_at__lt=cutoff`) instead of looping over rows. Agrees with `is_triage_overdue`."""
    day = timezone.localdate(now or timezone.now())
    age = 0
    # Step back one day at a time; stepping past `day` adds `day` itself to the waited days.
    while True:
        step = 1 if day.weekday() < 5 else 0
        if age + step > settings.TRIAGE_SLA_WORKING_DAYS:
            break
        age += step
        day -= dt.timedelta(days=1)
    # `day` is the earliest submission date still within the SLA.
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
