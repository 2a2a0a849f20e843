"""The roadmap timeline: quarters as columns, producing domains as rows, each promised request
(accepted or in progress) in its planned cycle. Three queries whatever the size; cells and rows
are capped, with a link to the full list."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from products.models import Domain
from requests_app.lifecycle import PROMISED_STATES
from requests_app.models import DataRequest, RoadmapCycle

QUARTERS = 4  # columns on one screen (and one printed page)
CELL_CAP = 6  # requests shown per domain and quarter before "more"
ROW_CAP = 30  # producing domains shown before "more"


@dataclass
class Cell:
    """One producing domain's promises in one quarter."""

    cycle: RoadmapCycle
    requests: list[DataRequest] = field(default_factory=list)
    total: int = 0
    more_url: str = ""

    @property
    def more(self) -> int:
        return self.total - len(self.requests)

    @property
    def effort(self) -> int:
        return sum(r.effort or 0 for r in self.requests)


@dataclass
class Row:
    """A producing domain across the quarters shown."""

    domain: Domain
    cells: list[Cell]


@dataclass
class Timeline:
    cycles: list[RoadmapCycle]
    rows: list[Row]
    more_rows: int
    earlier: RoadmapCycle | None
    later: RoadmapCycle | None


def timeline_cycles(
    start: str | None,
) -> tuple[list[RoadmapCycle], RoadmapCycle | None, RoadmapCycle | None]:
    """``QUARTERS`` cycles from ``start`` (a slug; default: the one running today, else the next),
    and the cycles just before and after them (for paging). One query."""
    cycles = list(RoadmapCycle.objects.order_by("starts_on"))
    if not cycles:
        return [], None, None
    today = timezone.localdate()
    index = next((i for i, c in enumerate(cycles) if c.slug == start), None)
    if index is None:
        index = next((i for i, c in enumerate(cycles) if c.ends_on >= today), len(cycles) - 1)
    shown = cycles[index : index + QUARTERS]
    earlier = cycles[index - 1] if index > 0 else None
    later = cycles[index + QUARTERS] if index + QUARTERS < len(cycles) else None
    return shown, earlier, later


def promised_requests(
    *, cycles: list[RoadmapCycle], producer: Domain | None, team: Domain | None
) -> QuerySet[DataRequest]:
    """Promised requests planned in ``cycles``, at most ``CELL_CAP`` per (domain, cycle) in rank
    order, each carrying its cell's total. One query (window functions)."""
    cell = [F("target_domain_id"), F("planned_cycle_id")]
    qs = DataRequest.objects.filter(planned_cycle__in=cycles, status__in=PROMISED_STATES)
    if producer is not None:
        qs = qs.filter(target_domain=producer)
    if team is not None:
        qs = qs.filter(requesting_domain=team)
    return (
        qs.select_related("target_domain", "requesting_domain")
        .only(
            "pk",
            "title",
            "status",
            "effort",
            "rank",
            "planned_cycle_id",
            "target_domain__name",
            "target_domain__slug",
            "requesting_domain__name",
            "requesting_domain__slug",
        )  # fmt: skip
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=cell,
                order_by=[F("rank").asc(nulls_last=True), F("pk").asc()],
            ),
            cell_total=Window(Count("pk"), partition_by=cell),
        )
        .filter(position__lte=CELL_CAP)
        .order_by("target_domain__name", "target_domain_id", "planned_cycle_id", "position")
    )


def roadmap_timeline(
    *, start: str | None = None, producer: Domain | None = None, team: Domain | None = None
) -> Timeline:
    """The timeline for the page: what is promised when, by whom. Two queries."""
    cycles, earlier, later = timeline_cycles(start)
    rows: dict[int, Row] = {}
    by_pk = {c.pk: i for i, c in enumerate(cycles)}
    list_url = reverse("requests_app:request-list")
    for r in promised_requests(cycles=cycles, producer=producer, team=team) if cycles else []:
        row = rows.get(r.target_domain_id)
        if row is None:
            row = rows[r.target_domain_id] = Row(r.target_domain, [Cell(c) for c in cycles])
        cell = row.cells[by_pk[r.planned_cycle_id]]
        cell.requests.append(r)
        cell.total = r.cell_total
        if not cell.more_url:
            query = f"target_domain={r.target_domain.slug}&planned_cycle={cell.cycle.slug}"
            query += "&status=accepted&status=in_progress"
            if team is not None:
                query += f"&requesting_domain={team.slug}"
            cell.more_url = f"{list_url}?{query}"
    shown = list(rows.values())
    return Timeline(cycles, shown[:ROW_CAP], max(0, len(shown) - ROW_CAP), earlier, later)


def _domain(slug: str | None, domains: list[Domain]) -> Domain | None:
    return next((d for d in domains if d.slug == slug), None) if slug else None


@login_required
@require_safe
def roadmap_page(request):
    """What each producing domain promised for which quarter, filterable by producing domain
    (a lead's "my domain across quarters") and by requesting team ("what did others promise us")."""
    domains = list(Domain.objects.order_by("name").only("pk", "slug", "name"))
    producer = _domain(request.GET.get("domain"), domains)
    team = _domain(request.GET.get("team"), domains)
    timeline = roadmap_timeline(start=request.GET.get("start"), producer=producer, team=team)
    params = request.GET.copy()
    params.pop("start", None)
    unknown = [
        name
        for name, chosen in (("domain", producer), ("team", team))
        if request.GET.get(name) and chosen is None
    ]
    return render(
        request,
        "requests_app/roadmap.html",
        {
            "timeline": timeline,
            "domains": domains,
            "producer": producer,
            "team": team,
            "filters": params.urlencode(),
            "unknown": unknown,
        },
        status=400 if unknown else 200,
    )
