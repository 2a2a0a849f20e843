"""Closed cycles: once a cycle's ``ends_on`` has passed, nothing new is filed for it or planned into it."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from requests_app.models import RoadmapCycle

# Set only while history is replayed (the demo seed files last year's requests through the same
# services, then moves their dates back): the rule is about new business, not the past's record.
_replaying_history = contextvars.ContextVar("replaying_history", default=False)


@contextlib.contextmanager
def replaying_history() -> Iterator[None]:
    """Within this block, closed cycles accept what is filed (for loading past records only)."""
    token = _replaying_history.set(True)
    try:
        yield
    finally:
        _replaying_history.reset(token)


def cycles_open(today: dt.date | None = None) -> QuerySet[RoadmapCycle]:
    """Cycles still open for business (not ended), earliest first: what forms offer."""
    today = today or timezone.localdate()
    return RoadmapCycle.objects.filter(ends_on__gte=today).order_by("starts_on")


def cycles_offered(actor) -> QuerySet[RoadmapCycle]:
    """The cycles a form offers ``actor``: open ones, or all of them for staff (who correct)."""
    if actor is not None and getattr(actor, "is_staff", False):
        return RoadmapCycle.objects.order_by("starts_on")
    return cycles_open()


def check_cycle_open(cycle: RoadmapCycle | None, *, actor, field: str) -> None:
    """The one rule: a closed cycle takes no new request (``needed_by_cycle``) and no planned work
    (``planned_cycle``); the 400 names the cycle, its end and the next open cycle. Staff may."""
    if cycle is None or getattr(actor, "is_staff", False) or _replaying_history.get():
        return
    today = timezone.localdate()
    if cycle.ends_on >= today:
        return
    following = cycles_open(today).first()
    message = _("%(cycle)s is closed: it ended on %(end)s.") % {
        "cycle": cycle.name,
        "end": date_format(cycle.ends_on, "j F Y"),
    }
    if following is not None:
        message += " " + _("The next open cycle is %(next)s.") % {"next": following.name}
    else:
        message += " " + _("No later cycle is open yet; ask staff to open one.")
    raise ValidationError({field: message})
