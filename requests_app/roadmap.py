"""The roadmap timeline: quarters as columns, producing domains as rows, each promised request
(accepted or in progress) in its planned cycle. Three queries whatever the size; cells and rows
are capped. The overview of every domain shows each cell's top promises and links a fuller cell to
that domain's own timeline, which shows more of each cell and links to the full list."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count, F, Model, Window
from django.db.models.functions import RowNumber
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_safe

from products.models import Domain
from requests_app.lifecycle import PROMISED_STATES
from requests_app.models import DataRequest, DomainCycleCapacity, RoadmapCycle

QUARTERS = 4  # columns on one screen (and one printed page)
CELL_CAP = 6  # requests shown per cell before "more", on a timeline narrowed to a domain or team
OVERVIEW_CAP = (
    2  # per cell on the overview of every domain: its top promises, the rest one click on
)
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


FIELDS = ("id", "title", "status", "effort", "rank", "planned_cycle_id", "requesting_domain_id")
# PostgreSQL. The cells are found by probing each (domain, quarter) of the partial index
# req_promised_idx for one promise, and counted from the boards' stored totals (a board's
# `board_promised`, kept with its other totals); a narrower count (promised to one team) or a
# board never counted is counted from the index. The first ROW_CAP producing domains by name are
# kept, and each of their cells' first promises read in rank order (LATERAL ... LIMIT): the rows
# read are the rows shown, however many requests the quarters hold.
PER_CELL_SQL = """
WITH cells AS MATERIALIZED (
    SELECT d.id AS target_domain_id, c.cycle_id AS planned_cycle_id, d.name, d.slug
    FROM {domains} d
    CROSS JOIN unnest(%(cycles)s::bigint[]) AS c(cycle_id)
    CROSS JOIN LATERAL (
        -- LIMIT: one probe per cell (an EXISTS would be planned as a join of the whole index).
        SELECT 1 FROM {requests} p
        WHERE p.planned_cycle_id = c.cycle_id AND p.target_domain_id = d.id
          AND p.status IN ({states}){filters}
        LIMIT 1
    ) promised
), shown AS MATERIALIZED (
    SELECT cells.*, {total} AS total
    FROM cells
    LEFT JOIN {capacities} board
      ON board.domain_id = cells.target_domain_id AND board.cycle_id = cells.planned_cycle_id
    WHERE cells.target_domain_id IN (
        SELECT target_domain_id FROM cells
        GROUP BY target_domain_id, name
        ORDER BY name, target_domain_id
        LIMIT %(row_cap)s
    )
)
SELECT {fields}, shown.target_domain_id, shown.name, shown.slug, team.name, team.slug,
       shown.total, (SELECT COUNT(DISTINCT target_domain_id) FROM cells)
FROM shown
CROSS JOIN LATERAL (
    SELECT {promise_fields} FROM {requests} p
    WHERE p.planned_cycle_id = shown.planned_cycle_id
      AND p.target_domain_id = shown.target_domain_id
      AND p.status IN ({states}){filters}
    ORDER BY p.rank, p.id
    LIMIT %(cell_cap)s
) r
LEFT JOIN {domains} team ON team.id = r.requesting_domain_id
ORDER BY shown.name, shown.target_domain_id, r.planned_cycle_id, r.rank, r.id
"""
# A cell's count from the index, when no stored total answers (PostgreSQL evaluates it only then).
CELL_COUNT_SQL = """(
        SELECT COUNT(*) FROM {requests} p
        WHERE p.planned_cycle_id = cells.planned_cycle_id
          AND p.target_domain_id = cells.target_domain_id
          AND p.status IN ({states}){filters}
    )"""


def cell_cap(*, producer: Domain | None, team: Domain | None) -> int:
    """How many promises a cell shows: the overview of every domain its top few, a timeline
    narrowed to one producing domain or one requesting team more."""
    return CELL_CAP if producer is not None or team is not None else OVERVIEW_CAP


def promised_requests(
    *, cycles: list[RoadmapCycle], producer: Domain | None, team: Domain | None
) -> tuple[list[DataRequest], int]:
    """Promised requests planned in ``cycles`` of the first ``ROW_CAP`` producing domains (by
    name), at most `cell_cap` per (domain, cycle) in rank order, each carrying its cell's total
    (``cell_total``); and how many producing domains have promises there. One query."""
    if connection.vendor == "postgresql":
        return _promised_per_cell(cycles=cycles, producer=producer, team=team)
    return _promised_by_window(cycles=cycles, producer=producer, team=team)


def _promised_by_window(
    *, cycles: list[RoadmapCycle], producer: Domain | None, team: Domain | None
) -> tuple[list[DataRequest], int]:
    """The portable form (SQLite): number every promise of the cycles, keep the first of each
    cell. It reads every promised request of the cycles, which the embedded database can afford."""
    cell = [F("target_domain_id"), F("planned_cycle_id")]
    qs = DataRequest.objects.filter(planned_cycle__in=cycles, status__in=PROMISED_STATES)
    if producer is not None:
        qs = qs.filter(target_domain=producer)
    if team is not None:
        qs = qs.filter(requesting_domain=team)
    qs = (
        qs.select_related("target_domain", "requesting_domain")
        .only(
            *FIELDS,
            "target_domain__name",
            "target_domain__slug",
            "requesting_domain__name",
            "requesting_domain__slug",
        )
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=cell,
                order_by=[F("rank").asc(nulls_last=True), F("pk").asc()],
            ),
            cell_total=Window(Count("pk"), partition_by=cell),
        )
        .filter(position__lte=cell_cap(producer=producer, team=team))
        .order_by("target_domain__name", "target_domain_id", "planned_cycle_id", "position")
    )
    found, shown = list(qs), []
    domains: set[int] = set()
    for r in found:
        domains.add(r.target_domain_id)
        if len(domains) <= ROW_CAP:
            shown.append(r)
    return shown, len(domains)


def per_cell_sql(
    *, cycles: list[RoadmapCycle], producer: Domain | None, team: Domain | None
) -> tuple[str, dict]:
    """``PER_CELL_SQL`` and its parameters for these cycles and filters (PostgreSQL)."""
    params: dict = {
        "cycles": [c.pk for c in cycles],
        "row_cap": ROW_CAP,
        "cell_cap": cell_cap(producer=producer, team=team),
        **{f"state{i}": str(state) for i, state in enumerate(PROMISED_STATES)},
    }
    filters = ""
    if producer is not None:
        filters += " AND p.target_domain_id = %(producer)s"
        params["producer"] = producer.pk
    if team is not None:
        filters += " AND p.requesting_domain_id = %(team)s"
        params["team"] = team.pk
    tables = {
        "requests": DataRequest._meta.db_table,
        # Listed values (not an array) so the planner sees the partial index's own condition.
        "states": ", ".join(f"%(state{i})s" for i in range(len(PROMISED_STATES))),
        "filters": filters,
    }
    count = CELL_COUNT_SQL.format(**tables)
    sql = PER_CELL_SQL.format(
        **tables,
        domains=Domain._meta.db_table,
        capacities=DomainCycleCapacity._meta.db_table,
        fields=", ".join(f"r.{name}" for name in FIELDS),
        promise_fields=", ".join(f"p.{name}" for name in FIELDS),
        # A board's stored count holds every promise of its cell: not those of one team.
        total=count if team is not None else f"COALESCE(board.board_promised, {count})",
    )
    return sql, params


def _promised_per_cell(
    *, cycles: list[RoadmapCycle], producer: Domain | None, team: Domain | None
) -> tuple[list[DataRequest], int]:
    """The PostgreSQL form: reads only the shown rows (and counts the rest by index)."""
    sql, params = per_cell_sql(cycles=cycles, producer=producer, team=team)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    shown, domains, width = [], 0, len(FIELDS)
    producers: dict[int, Domain] = {}
    teams: dict[int, Domain] = {}
    for row in found:
        r = _loaded(DataRequest, dict(zip(FIELDS, row[:width], strict=True)))
        domain_id, name, slug, team_name, team_slug, r.cell_total, domains = row[width:]
        if domain_id not in producers:
            producers[domain_id] = _loaded(Domain, {"id": domain_id, "name": name, "slug": slug})
        r.target_domain = producers[domain_id]
        if r.requesting_domain_id is not None:
            if r.requesting_domain_id not in teams:
                teams[r.requesting_domain_id] = _loaded(
                    Domain, {"id": r.requesting_domain_id, "name": team_name, "slug": team_slug}
                )
            r.requesting_domain = teams[r.requesting_domain_id]
        shown.append(r)
    return shown, domains


def _loaded(model: type[Model], values: dict) -> Model:
    """An instance as the ORM loads it with ``only(*values)``: other fields deferred."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, names, [values[name] for name in names])


def roadmap_timeline(
    *, start: str | None = None, producer: Domain | None = None, team: Domain | None = None
) -> Timeline:
    """The timeline for the page: what is promised when, by whom. Two queries."""
    cycles, earlier, later = timeline_cycles(start)
    rows: dict[int, Row] = {}
    by_pk = {c.pk: i for i, c in enumerate(cycles)}
    overview = producer is None and team is None
    urls = (
        reverse("requests_app:request-list"),
        reverse("requests_app:roadmap") if overview else "",
    )
    words: dict[tuple, str] = {}  # the notes' parts, worded once per page
    found, domains = (
        promised_requests(cycles=cycles, producer=producer, team=team) if cycles else ([], 0)
    )
    for r in found:
        row = rows.get(r.target_domain_id)
        if row is None:
            row = rows[r.target_domain_id] = Row(r.target_domain, [Cell(c) for c in cycles])
        cell = row.cells[by_pk[r.planned_cycle_id]]
        r.note = _note(r, words)
        cell.requests.append(r)
        cell.total = r.cell_total
        if not cell.more_url:
            cell.more_url = _more_url(r.target_domain, cell.cycle, cycles[0], team, urls)
    shown = list(rows.values())
    return Timeline(cycles, shown, max(0, domains - len(shown)), earlier, later)


def _more_url(
    domain: Domain, cycle: RoadmapCycle, first: RoadmapCycle, team: Domain | None, urls: tuple
) -> str:
    """Where a cell's "and N more" leads: from the overview (``urls`` names the timeline), to that
    domain's own timeline (the same quarters, more of each cell); from a narrowed timeline, to the
    request list."""
    list_url, roadmap_url = urls
    if roadmap_url:
        return f"{roadmap_url}?domain={domain.slug}&start={first.slug}"
    query = f"target_domain={domain.slug}&planned_cycle={cycle.slug}"
    query += "&status=accepted&status=in_progress"
    if team is not None:
        query += f"&requesting_domain={team.slug}"
    return f"{list_url}?{query}"


def _note(r: DataRequest, words: dict[tuple, str]) -> str:
    """A promise's note, e.g. "for Payments · 3 pts · in progress". Each part is worded once per
    page (three template translations per promise were most of the page's time)."""
    parts = []
    if r.requesting_domain_id:
        team = r.requesting_domain.name
        if ("team", team) not in words:
            words["team", team] = gettext("for %(team)s") % {"team": team}
        parts.append(words["team", team])
    if r.effort:
        if ("effort", r.effort) not in words:
            label = ngettext("%(points)s pt", "%(points)s pts", r.effort)
            words["effort", r.effort] = label % {"points": r.effort}
        parts.append(words["effort", r.effort])
    if r.status == DataRequest.Status.IN_PROGRESS:
        if ("status", r.status) not in words:
            words["status", r.status] = gettext("in progress")
        parts.append(words["status", r.status])
    return " · ".join(parts)


def _url_prefix(name: str) -> str:
    """A route's URL up to its trailing id: a promise appends its own (``{{ prefix }}{{ r.pk }}/``)."""
    url = reverse(name, args=[0])
    return url[: url.rindex("0/")]


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
            "request_url": _url_prefix("requests_app:request-detail"),
            "domains": domains,
            "producer": producer,
            "team": team,
            "filters": params.urlencode(),
            "unknown": unknown,
        },
        status=400 if unknown else 200,
    )
