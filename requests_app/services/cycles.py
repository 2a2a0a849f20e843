"""Roadmap cycles: staff open and edit them; which cycle is current or next."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from core.errors import NotPermitted
from requests_app import events
from requests_app.models import DataRequest, RoadmapCycle
from requests_app.services.common import submission_facts


def check_staff(actor, what: str) -> None:
    """Only staff manage cycles; doors call this before parsing input so refusals are 403s."""
    if not (actor and actor.is_authenticated and actor.is_staff):
        raise NotPermitted(gettext("Only staff may %(what)s.") % {"what": what})


CYCLE_EARLIEST = dt.date(2000, 1, 1)
CYCLE_LATEST = dt.date(2199, 12, 31)
CYCLE_LONGEST = dt.timedelta(days=2 * 366)


def _cycle_date_errors(cycle: RoadmapCycle) -> dict[str, str]:
    """Dates in a sane range (2000-2199) and a cycle at most two years long: a typo such as
    9999-12-31 would otherwise break every calendar and date sum that reads the cycle."""
    errors = {}
    for field in ("request_deadline", "starts_on", "ends_on", "review_on"):
        value = getattr(cycle, field, None)
        if isinstance(value, dt.date) and not CYCLE_EARLIEST <= value <= CYCLE_LATEST:
            errors[field] = gettext(
                "%(isoformat)s is out of range: cycle dates fall between %(isoformat2)s and %(isoformat3)s."
            ) % {
                "isoformat": value.isoformat(),
                "isoformat2": CYCLE_EARLIEST.isoformat(),
                "isoformat3": CYCLE_LATEST.isoformat(),
            }
    starts, ends = cycle.starts_on, cycle.ends_on
    if not errors and starts and ends and ends - starts > CYCLE_LONGEST:
        errors["ends_on"] = gettext(
            "A roadmap cycle lasts at most two years; split it into several."
        )
    return errors


def cycle_validate(cycle: RoadmapCycle) -> None:
    """A cycle's dates are in order: deadline before start, start before end, review after start."""
    errors = _cycle_date_errors(cycle)
    if errors:
        raise ValidationError(errors)
    if cycle.request_deadline and cycle.starts_on and cycle.request_deadline >= cycle.starts_on:
        errors["request_deadline"] = gettext(
            "The request deadline must fall before the cycle starts."
        )
    if cycle.starts_on and cycle.ends_on and cycle.starts_on >= cycle.ends_on:
        errors["ends_on"] = gettext("The cycle must end after it starts.")
    if cycle.review_on and cycle.starts_on and cycle.review_on < cycle.starts_on:
        errors["review_on"] = gettext("The review happens during or after the cycle.")
    if errors:
        raise ValidationError(errors)
    cycle.full_clean(validate_constraints=False)


@transaction.atomic
def cycle_create(*, actor, **fields: Any) -> RoadmapCycle:
    """Staff open a roadmap cycle (deadline before start, start before end)."""
    check_staff(actor, "manage cycles")
    cycle = RoadmapCycle(**fields)
    if not cycle.slug and cycle.name:
        cycle.slug = slugify(cycle.name)
    cycle_validate(cycle)
    cycle.save()
    return cycle


@transaction.atomic
def cycle_update(*, cycle: RoadmapCycle, actor, **fields: Any) -> RoadmapCycle:
    """Staff edit a cycle; early/late and lead times of its submitted requests follow the dates."""
    check_staff(actor, "manage cycles")
    for name, value in fields.items():
        setattr(cycle, name, value)
    cycle_validate(cycle)
    cycle.save()
    affected = list(
        DataRequest.objects.filter(
            needed_by_cycle=cycle, submitted_at__isnull=False
        ).select_related("needed_by_cycle")
    )
    for data_request in affected:
        data_request.is_late, data_request.lead_time_days = submission_facts(data_request)
    DataRequest.objects.bulk_update(affected, ["is_late", "lead_time_days"], batch_size=500)
    # bulk_update sends no model signal; early/late and lead times moved.
    events.requests_bulk_changed.send(sender=DataRequest, using=DEFAULT_DB_ALIAS)
    return cycle


def cycle_current(today: dt.date | None = None) -> RoadmapCycle | None:
    """The cycle running today, if any."""
    today = today or timezone.localdate()
    return RoadmapCycle.objects.filter(starts_on__lte=today, ends_on__gte=today).first()


def cycle_next(today: dt.date | None = None) -> RoadmapCycle | None:
    """The next cycle still open for early requests (its deadline not passed), else the next one."""
    today = today or timezone.localdate()
    return (
        RoadmapCycle.objects.filter(request_deadline__gte=today).order_by("starts_on").first()
        or RoadmapCycle.objects.filter(starts_on__gt=today).order_by("starts_on").first()
    )
