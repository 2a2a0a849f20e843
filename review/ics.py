"""The roadmap calendar: every cycle's request deadline, start, end and review as all-day events.

Built with the ``icalendar`` library. Event UIDs are stable (cycle slug + kind), so a calendar
subscribed to the feed updates an event in place when staff move a date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlparse

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from icalendar import Calendar, Event

from requests_app.models import RoadmapCycle

# (field, summary suffix, description)
MILESTONES = (
    (
        "request_deadline",
        "request deadline",
        gettext_lazy("Last day to file requests for {name} and count as early."),
    ),
    ("starts_on", "starts", gettext_lazy("Roadmap cycle {name} starts.")),
    ("ends_on", "ends", gettext_lazy("Roadmap cycle {name} ends.")),
    ("review_on", "review", gettext_lazy("Quarterly roadmap review of {name}.")),
)


def cycles_calendar(cycles: Iterable[RoadmapCycle], *, site_url: str) -> bytes:
    """The iCalendar document (RFC 5545) for ``cycles``."""
    host = urlparse(site_url).hostname or "upstream"
    stamp = timezone.now().astimezone(dt.UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//Upstream//Roadmap cycles//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", gettext("Upstream roadmap cycles"))
    for cycle in cycles:
        review_url = site_url + reverse("review:cycle-review", args=[cycle.slug])
        for field, suffix, text in MILESTONES:
            day = getattr(cycle, field)
            if day is None:
                continue
            event = Event()
            event.add("uid", f"{cycle.slug}-{field.replace('_', '-')}@{host}")
            event.add("dtstamp", stamp)
            event.add("summary", f"{cycle.name} {suffix}")
            event.add("dtstart", day)
            if day < dt.date.max:  # without DTEND an all-day event lasts that one day anyway
                event.add("dtend", day + dt.timedelta(days=1))
            event.add("transp", "TRANSPARENT")
            event.add("description", text.format(name=cycle.name) + f"\n{review_url}")
            event.add("url", review_url)
            calendar.add_component(event)
    return calendar.to_ical()
