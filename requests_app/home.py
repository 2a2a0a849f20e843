"""Home-page sections contributed by requests: drafts, open requests and the triage inbox."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from core.home import home_section
from products.models import Domain
from requests_app import lifecycle
from requests_app.models import DataRequest

S = DataRequest.Status
SHOWN = 8


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


@home_section(order=30)
def incoming_to_triage(user) -> dict | None:
    """For leads: how many submitted, untriaged requests wait in each domain they lead (counted
    in SQL on the domain's submitted rows only, through the triage index)."""
    submitted = (
        DataRequest.objects.filter(target_domain=OuterRef("pk"), status=S.SUBMITTED)
        .order_by()
        .values("target_domain")
        .annotate(n=Count("pk"))
        .values("n")
    )
    domains = list(
        Domain.objects.filter(leads=user)
        .annotate(untriaged=Coalesce(Subquery(submitted, output_field=IntegerField()), 0))
        .order_by("name")
    )
    if not domains:
        return None
    rows = [
        {
            "domain": d,
            "count": d.untriaged,
            "url": reverse("requests_app:triage-inbox", args=[d.slug]),
        }
        for d in domains
    ]
    return {"template": "requests_app/home/incoming.html", "rows": rows}
