"""The quarterly review pages: the review of a cycle (live and frozen), freezing it, its progress
partial (htmx), and the roadmap calendar feed. Thin: selectors and services do the work."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language, gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core.errors import NotPermitted
from requests_app.models import RoadmapCycle
from review import caching, cards, charts, ics, links, selectors, services
from review.models import ReviewSnapshot
from review.tables import LIST_LIMIT

# The names of the review's definitions, as the page shows them.
DEFINITION_LABELS = {
    "requests": gettext_lazy("Requests"),
    "early": gettext_lazy("Early"),
    "lead_time": gettext_lazy("Lead time"),
    "time_to_triage": gettext_lazy("Time to triage"),
    "overdue_triage": gettext_lazy("Overdue triage"),
    "outcomes": gettext_lazy("Outcomes"),
    "delivery_rate": gettext_lazy("Delivery rate"),
    "carried_over": gettext_lazy("Carried over"),
    "capacity": gettext_lazy("Capacity"),
    "planned_effort": gettext_lazy("Planned effort"),
    "dependencies": gettext_lazy("Dependencies"),
    "products": gettext_lazy("Products"),
    "coverage": gettext_lazy("Coverage"),
    "demand": gettext_lazy("Demand"),
}


def _review_context(request, slug: str) -> dict:
    cycle = get_object_or_404(RoadmapCycle, slug=slug)
    live = selectors.review_for(cycle=cycle)
    latest = selectors.snapshot_latest(cycle=cycle)
    show_frozen = bool(latest) and request.GET.get("view") == "frozen"
    shown = latest.data if show_frozen else live

    def parts() -> dict:
        # Read again inside: never older than the version the parts are cached under.
        live = selectors.review_for(cycle=cycle)
        shown = latest.data if show_frozen else live
        return {
            "headlines": links.headline_rows(
                cycle.slug, live["overall"], latest.data["overall"] if latest else None
            ),
            "charts": charts.review_charts(shown),
            "outcome_table": charts.outcome_table(shown["domains"]),
            "tables": links.page_tables(shown),
        }

    page = caching.cached_review_part(
        cycle_id=cycle.pk,
        now=timezone.now(),
        # Per language: the charts' SVG and the tables' labels are translated when built.
        part=f"page:{get_language()}:{latest.pk if latest else 0}:{'frozen' if show_frozen else 'live'}",
        compute=parts,
    )
    return {
        "cycle": cycle,
        "review": shown,
        "show_frozen": show_frozen,
        "computed_at": parse_datetime(shown["computed_at"]),
        "snapshot": latest,
        **page,
    }


@login_required
@require_GET
def cycle_review(request, slug: str):
    """The review page: headline figures live and frozen, charts, tables, definitions."""
    context = _review_context(request, slug)
    cycle = context["cycle"]
    previous = cards.previous_cycle(cycle)
    before = selectors.review_for(cycle=previous)["overall"] if previous else None
    context.update(
        {
            "previous_cycle": previous,
            "cards": cards.headline_cards(
                context["review"]["overall"],
                before,
                {
                    m: links.review_link(cycle.slug, m)
                    for m in ("filed", "early", "accepted", "delivered")
                },
            ),
            "in_flight": selectors.snapshot_in_flight(cycle=cycle),
            "can_freeze": services.review_can_freeze(actor=request.user),
            "outcome_series": charts.OUTCOME_SERIES,
            "definitions": [
                (DEFINITION_LABELS.get(key, key), gettext(text))
                for key, text in selectors.DEFINITIONS.items()
            ],
            "list_limit": LIST_LIMIT,
            "not_made_it_url": links.request_list_url(
                needed_by_cycle=cycle.slug, status=("declined", "deferred")
            ),
            "late_url": links.review_link(cycle.slug, "late"),
            "demanded_url": links.review_link(cycle.slug, "demanded"),
            "unmet_demand_url": links.review_link(cycle.slug, "unmet_demand"),
        }
    )
    return render(request, "review/review.html", context)


@login_required
@require_GET
def cycle_review_dependencies(request, slug: str):
    """The table behind the review's dependency chart, every requesting × producing domain with
    a link on each count: fetched on demand (it grows with the square of the domains)."""
    return render(request, "review/dependencies.html", _review_context(request, slug))


@login_required
@require_POST
def cycle_review_freeze(request, slug: str):
    """Staff freeze the review; the page then shows the snapshot's progress."""
    cycle = get_object_or_404(RoadmapCycle, slug=slug)
    try:
        snapshot = services.review_freeze(cycle=cycle, actor=request.user)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    snapshot.refresh_from_db()  # an eager task (or a quick worker) may already have finished it
    if snapshot.status == ReviewSnapshot.Status.DONE:
        messages.success(request, gettext("The review is frozen: these are the frozen figures."))
        return redirect(_frozen_url(cycle))
    messages.success(request, gettext("Freezing the review: the figures are being computed."))
    return redirect("review:cycle-review", slug=cycle.slug)


def _frozen_url(cycle: RoadmapCycle) -> str:
    return f"{reverse('review:cycle-review', args=[cycle.slug])}?view=frozen"


@login_required
@require_GET
def cycle_review_progress(request, slug: str, pk: int):
    """The snapshot's progress bar (htmx polls it every second while it runs; once it is done
    htmx is sent to the frozen figures)."""
    snapshot = get_object_or_404(
        ReviewSnapshot.objects.select_related("cycle"), pk=pk, cycle__slug=slug
    )
    response = render(
        request,
        "review/progress.html",
        {"snapshot": snapshot, "cycle": snapshot.cycle},
    )
    if request.htmx and snapshot.status == ReviewSnapshot.Status.DONE:
        response["HX-Redirect"] = _frozen_url(snapshot.cycle)
    return response


@require_GET
def cycles_ics(request):
    """The roadmap calendar feed (iCalendar). Public on purpose: calendar apps subscribe without
    a session, and it holds only cycle names and dates, no request data."""
    cycles = RoadmapCycle.objects.order_by("starts_on")
    body = ics.cycles_calendar(cycles, site_url=settings.SITE_URL)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="upstream-cycles.ics"'
    return response
