"""The home page's roadmap-review section: the review around its date."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from core.home import home_section
from requests_app.models import RoadmapCycle
from review.models import ReviewSnapshot

# Two weeks before the review date there is time to check the figures; two weeks after, the
# (frozen) review is still what people come back to.
REVIEW_WINDOW = dt.timedelta(days=14)


@home_section(order=40)
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
    return {"template": "review/home.html", "cycles": cycles}
