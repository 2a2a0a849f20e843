"""Home-page sections contributed by requests: drafts, open requests and the triage inbox."""

from __future__ import annotations

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import IntegerField, OuterRef, Subquery
from django.urls import reverse

from core.home import home_section
from products.models import Domain
from requests_app import lifecycle
from requests_app.models import DataRequest

S = DataRequest.Status
SHOWN = 8
COUNT_CAP = 1000  # "999+ submitted requests to triage" past it


@home_section(order=10)
def my_drafts(user) -> dict | None:
    """Drafts the user has not submitted yet (a draft tells the domain nothing)."""
    drafts = list(
        DataRequest.objects.filter(requester=user, status=S.DRAFT)
        .select_related("needed_by_cycle", "target_domain")
        .order_by("-updated_at")[:SHOWN]
    )
    if not drafts:
        return None
    return {"template": "requests_app/home/drafts.html", "requests": drafts}


@home_section(order=20)
def my_open_requests(user) -> dict | None:
    """The user's requests still in flight, with their status."""
    open_requests = list(
        DataRequest.objects.filter(requester=user, status__in=lifecycle.OPEN_STATES - {S.DRAFT})
        .select_related("target_domain", "planned_cycle")
        .order_by("-updated_at")[:SHOWN]
    )
    if not open_requests:
        return None
    return {"template": "requests_app/home/open.html", "requests": open_requests}


class CountOf(Subquery):
    """How many rows a (sliced) subquery returns: ``COUNT(*)`` over it, so a ``LIMIT`` in it
    bounds what is read (an index-only scan that stops at the cap)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


@home_section(order=30)
def incoming_to_triage(user) -> dict | None:
    """For leads: how many submitted, untriaged requests wait in each domain they lead, counted
    in SQL through the triage index up to ``COUNT_CAP`` (then "999+": the triage inbox has the
    rest), so the count costs the same however long the backlog."""
    # A column of the triage index, in no order: the count reads the index alone, up to the cap.
    waiting = (
        DataRequest.objects.filter(target_domain=OuterRef("pk"), status=S.SUBMITTED)
        .order_by()
        .values("target_domain")
    )
    domains = list(
        Domain.objects.filter(leads=user)
        .annotate(untriaged=CountOf(waiting[:COUNT_CAP]))
        .order_by("name")
    )
    if not domains:
        return None
    rows = [
        {
            "domain": d,
            "count": d.untriaged,
            # In the reader's locale; "999+" once the count stops.
            "shown": f"{intcomma(COUNT_CAP - 1)}+"
            if d.untriaged >= COUNT_CAP
            else intcomma(d.untriaged),
            "url": reverse("requests_app:triage-inbox", args=[d.slug]),
        }
        for d in domains
    ]
    return {"template": "requests_app/home/incoming.html", "rows": rows}
