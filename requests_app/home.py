"""Home-page sections contributed by requests: drafts, open requests, the triage inbox, and the
roadmap review around its date."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from config.home import home_section
from products.models import Domain
from requests_app import lifecycle
from requests_app.models import DataRequest, ReviewSnapshot, RoadmapCycle

S = DataRequest.Status
SHOWN = 8


@home_section
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


@home_section
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


def _inbox_url(domain: Domain) -> str:
    # The triage inbox page comes with the board; until it exists, the filtered list does the job.
    try:
        return reverse("requests_app:triage-inbox", args=[domain.slug])
    except NoReverseMatch:
        return (
            f"{reverse('requests_app:request-list')}?target_domain={domain.slug}&status=submitted"
        )


@home_section
def incoming_to_triage(user) -> dict | None:
    """For leads: how many submitted, untriaged requests wait in each domain they lead."""
    domains = list(
        Domain.objects.filter(leads=user)
        .annotate(
            untriaged=Count("incoming_requests", filter=Q(incoming_requests__status=S.SUBMITTED))
        )
        .order_by("name")
    )
    if not domains:
        return None
    rows = [{"domain": d, "count": d.untriaged, "url": _inbox_url(d)} for d in domains]
    return {"template": "requests_app/home/incoming.html", "rows": rows}


# Two weeks before the review date there is time to check the figures; two weeks after, the
# (frozen) review is still what people come back to.
REVIEW_WINDOW = dt.timedelta(days=14)


@home_section
def roadmap_reviews(user) -> dict | None:
    """Cycles whose review date is within two weeks either side of today: a link to each roadmap
    review, and to its frozen figures once staff froze them (one query)."""
    today = timezone.localdate()
    frozen = ReviewSnapshot.objects.filter(
        cycle=OuterRef("pk"), status=ReviewSnapshot.Status.DONE
    ).order_by("-finished_at", "-pk")
    cycles = list(
        RoadmapCycle.objects.filter(review_on__range=(today - REVIEW_WINDOW, today + REVIEW_WINDOW))
        .annotate(frozen_at=Subquery(frozen.values("finished_at")[:1]))
        .order_by("review_on")[:3]
    )
    if not cycles:
        return None
    for cycle in cycles:
        cycle.days_to_review = (cycle.review_on - today).days
        cycle.days_since_review = -cycle.days_to_review
    return {"template": "requests_app/home/review.html", "cycles": cycles}
