"""Reads for prioritization: the board of a domain for a cycle, and the triage inbox.

Both are computed with a fixed number of queries whatever their size. A board shows its first
`BOARD_LIMIT` requests in rank order: its totals (effort used and planned, how many requests)
are over all of it, stored with its version by the writers that change it (`board.versions`),
and the cut line is a running total of effort in rank order, which for the first rows needs only
those rows, so the rows shown are flagged exactly as if all were fetched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from products.models import Domain
from requests_app import scoring, sla
from requests_app.board.versions import STORED_FIELDS, BoardTotals, board_totals
from requests_app.lifecycle import BOARD_STATES, COMMITTED_STATES
from requests_app.models import DataRequest, DomainCycleCapacity, RoadmapCycle

S = DataRequest.Status


@dataclass
class BoardItem:
    request: DataRequest
    above_capacity: bool
    age_days: int


# A quarter's plan a lead can read and rank. A board holding more (a domain swamped with
# asks) shows its first BOARD_LIMIT in rank order; the rest rise into view as these are decided.
BOARD_LIMIT = 200
# Board order: the lead's ranks, then unranked candidates by best score, then oldest first.
BOARD_ORDER = (F("rank").asc(nulls_last=True), F("score").desc(nulls_last=True), F("id").asc())


# What a board row shows (page and API) and what its age, roles and reordering read; the other
# columns (long texts, timestamps) would only cost their transfer and parsing.
BOARD_FIELDS = (
    "title", "status", "urgency", "rank", "score", "effort", "reach", "impact", "confidence",
    "is_late", "version", "demand", "endorsement_count", "submitted_at", "created_at", "target_domain_id", "planned_cycle_id",
    "requester__username", "requester__first_name", "requester__last_name",
    "requesting_domain__slug", "requesting_domain__name",
)  # fmt: skip


@dataclass
class Board:
    """A domain's plan for a cycle: ranked requests, capacity, effort used, the cut line."""

    domain: Domain
    cycle: RoadmapCycle
    capacity: int
    capacity_is_default: bool
    used: int
    planned: int
    version: int
    items: list[BoardItem] = field(default_factory=list)
    count: int = 0  # requests on the board, shown or not

    @property
    def truncated(self) -> bool:
        """More requests are on the board than it shows."""
        return self.count > len(self.items)

    @property
    def remaining(self) -> int:
        return self.capacity - self.used

    @property
    def overflow(self) -> int:
        """Effort committed beyond capacity (0 when it fits)."""
        return max(0, self.used - self.capacity)

    @property
    def used_percent(self) -> int:
        return min(100, round(100 * self.used / self.capacity)) if self.capacity else 100

    @property
    def cut_index(self) -> int | None:
        """Position of the first request above capacity (where the cut line is drawn)."""
        return next((i for i, item in enumerate(self.items) if item.above_capacity), None)


def board_requests(*, domain: Domain, cycle: RoadmapCycle) -> QuerySet[DataRequest]:
    """The requests on a board, in rank order (unranked last, best score first among them)."""
    return (
        DataRequest.objects.filter(
            target_domain=domain, planned_cycle=cycle, status__in=BOARD_STATES
        )
        .select_related("requester", "requesting_domain")
        .only(*BOARD_FIELDS)
        .order_by(*BOARD_ORDER)
    )


def capacity_for(
    *, domain: Domain, cycle: RoadmapCycle
) -> tuple[int, bool, int, BoardTotals | None]:
    """(capacity, is_default, board_version, stored totals or None) for a domain in a cycle."""
    row = (
        DomainCycleCapacity.objects.filter(domain=domain, cycle=cycle)
        .values("capacity", "board_version", *STORED_FIELDS)
        .first()
    )
    if row is None:
        return domain.default_capacity, True, 1, None
    totals = BoardTotals.stored(row)
    if row["capacity"] is None:
        return domain.default_capacity, True, row["board_version"], totals
    return row["capacity"], False, row["board_version"], totals


@dataclass(frozen=True)
class CycleCapacity:
    """A domain's committed effort against its capacity in one cycle."""

    cycle: RoadmapCycle
    capacity: int
    used: int

    @property
    def remaining(self) -> int:
        return self.capacity - self.used

    @property
    def overflow(self) -> int:
        return max(0, self.used - self.capacity)

    @property
    def over(self) -> bool:
        return self.used > self.capacity


def capacity_expression(cycle: RoadmapCycle) -> Coalesce:
    """A domain's capacity in ``cycle`` as a query expression over domains: the cycle's override,
    else the domain's default (the rule `capacities` applies to many domains and cycles)."""
    override = DomainCycleCapacity.objects.filter(
        domain=OuterRef("pk"), cycle=cycle, capacity__isnull=False
    ).values("capacity")[:1]
    return Coalesce(Subquery(override), F("default_capacity"))


def capacities(
    *, domains: list[Domain], cycles: list[RoadmapCycle]
) -> dict[tuple[int, int], CycleCapacity]:
    """Capacity (the cycle's override, else the domain's default) and committed effort of each
    domain in each cycle, keyed by (domain id, cycle id). The one place a capacity sum is read
    for pages, the domain page and the digest: the boards' stored totals (one query, whatever
    the numbers), counted live only for boards whose totals were never stored (a second one)."""
    if not domains or not cycles:
        return {}
    plans = {
        (d, c): (capacity, used)
        for d, c, capacity, used in DomainCycleCapacity.objects.filter(
            domain__in=domains, cycle__in=cycles
        ).values_list("domain", "cycle", "capacity", "board_used")
    }
    uncounted = [
        (domain.pk, cycle.pk)
        for domain in domains
        for cycle in cycles
        if plans.get((domain.pk, cycle.pk), (None, None))[1] is None
    ]
    used = {key: stored for key, (_capacity, stored) in plans.items() if stored is not None}
    if uncounted:
        live = (
            DataRequest.objects.filter(
                target_domain__in={d for d, _c in uncounted},
                planned_cycle__in={c for _d, c in uncounted},
                status__in=COMMITTED_STATES,
            )
            .values_list("target_domain", "planned_cycle")
            .annotate(total=Sum("effort"))
            .order_by()
        )
        counted = set(used)
        used.update({(d, c): total or 0 for d, c, total in live if (d, c) not in counted})
    return {
        (domain.pk, cycle.pk): CycleCapacity(
            cycle=cycle,
            capacity=(
                plans[(domain.pk, cycle.pk)][0]
                if plans.get((domain.pk, cycle.pk), (None,))[0] is not None
                else domain.default_capacity
            ),
            used=used.get((domain.pk, cycle.pk), 0),
        )
        for domain in domains
        for cycle in cycles
    }


def open_cycles(*, limit: int | None = None) -> list[RoadmapCycle]:
    """Cycles that have not ended (the current one first), at most ``limit`` of them."""
    cycles = RoadmapCycle.objects.filter(ends_on__gte=timezone.localdate()).order_by(
        "starts_on", "pk"
    )
    return list(cycles[:limit] if limit else cycles)


def domain_capacity(domain: Domain, *, cycles: int = 3) -> list[CycleCapacity]:
    """Capacity and committed effort of ``domain`` for the current cycle and the next ones."""
    upcoming = open_cycles(limit=cycles)
    by_key = capacities(domains=[domain], cycles=upcoming)
    return [by_key[(domain.pk, cycle.pk)] for cycle in upcoming]


def board_for(*, domain: Domain, cycle: RoadmapCycle, now: dt.datetime | None = None) -> Board:
    """The prioritization board in two queries (its plan row with the stored totals, then the
    rows shown), whatever the number of requests on it; a board whose totals were never
    counted (no row yet, or one written outside the services) counts them in a third."""
    now = now or timezone.now()
    capacity, is_default, version, totals = capacity_for(domain=domain, cycle=cycle)
    if totals is None:
        totals = board_totals(domain.pk, cycle.pk)
    shown = list(board_requests(domain=domain, cycle=cycle)[:BOARD_LIMIT])
    # The shown rows are the board's first in rank order, so the effort ranked before each of
    # them is among them: the cut line needs no other row.
    above = scoring.cut_line([r.effort for r in shown], capacity)
    items = [
        BoardItem(request=r, above_capacity=is_above, age_days=_age_days(r, now))
        for r, is_above in zip(shown, above, strict=True)
    ]
    return Board(
        domain=domain,
        cycle=cycle,
        capacity=capacity,
        capacity_is_default=is_default,
        used=totals.used,
        planned=totals.planned,
        version=version,
        items=items,
        count=totals.count,
    )


def _age_days(request: DataRequest, now: dt.datetime) -> int:
    start = request.submitted_at or request.created_at
    return (timezone.localdate(now) - timezone.localdate(start)).days if start else 0


@dataclass
class InboxItem:
    request: DataRequest
    age_working_days: int
    overdue: bool


# The triage inbox shows its first TRIAGE_LIMIT requests (and DEFERRED_LIMIT deferred ones) with
# the totals over all: a swamped domain's page stays the same size, and each read walks an index
# in the page's order (`req_triage_age_idx`, `req_triage_demand_idx`), stopping at the limit.
TRIAGE_LIMIT = 100
DEFERRED_LIMIT = 50

# How the triage inbox may be sorted: oldest first (the SLA's order), or most demanded first.
INBOX_ORDERS = {
    "age": ("submitted_at", "id"),
    "demand": ("-demand", "submitted_at", "id"),
}


def triage_inbox(
    *, domain: Domain, now: dt.datetime | None = None, order: str = "age", limit: int | None = None
) -> list[InboxItem]:
    """The first ``limit`` submitted requests not yet triaged, oldest first (or by ``order``:
    `INBOX_ORDERS`), with their age against the SLA and their demand (no query per row)."""
    now = now or timezone.now()
    rows = (
        DataRequest.objects.filter(target_domain=domain, status=S.SUBMITTED)
        .select_related("requester", "requesting_domain", "needed_by_cycle", "data_product")
        .order_by(*INBOX_ORDERS.get(order, INBOX_ORDERS["age"]))[: limit or TRIAGE_LIMIT]
    )
    return [
        InboxItem(
            request=r,
            age_working_days=sla.triage_age(r.submitted_at, now),
            overdue=sla.is_triage_overdue(r.submitted_at, now),
        )
        for r in rows
    ]


def inbox_counts(*, domain: Domain) -> dict[str, int]:
    """How many requests of a domain wait for triage and how many are deferred (one indexed
    count over both statuses; the pages show these totals above their first rows)."""
    counts = dict(
        DataRequest.objects.filter(target_domain=domain, status__in=[S.SUBMITTED, S.DEFERRED])
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {"submitted": counts.get(S.SUBMITTED, 0), "deferred": counts.get(S.DEFERRED, 0)}


def deferred_for(*, domain: Domain, limit: int | None = None) -> list[DataRequest]:
    """The first ``limit`` deferred requests of a domain, by the cycle they were deferred to
    (reopen brings them back), with their cycle. On PostgreSQL each cycle's first deferrals are
    read from `req_deferred_idx` (a LATERAL per cycle), so the page never reads a domain's whole
    deferred history; the rows are then ordered as everywhere else."""
    limit = limit or DEFERRED_LIMIT
    rows = DataRequest.objects.filter(target_domain=domain, status=S.DEFERRED)
    if connection.vendor == "postgresql":
        rows = rows.filter(pk__in=RawSQL(_FIRST_DEFERRED_SQL, [domain.pk, limit] * 2 + [limit]))
    return list(
        rows.select_related("planned_cycle").order_by(
            F("planned_cycle__starts_on").asc(nulls_last=True), "decided_at", "id"
        )[:limit]
    )


_FIRST_DEFERRED_SQL = f"""
SELECT first.id FROM (
  (SELECT d.id, c.starts_on, d.decided_at
   FROM requests_app_roadmapcycle c
   CROSS JOIN LATERAL (
     SELECT r.id, r.decided_at FROM requests_app_datarequest r
     WHERE r.target_domain_id = %s AND r.status = '{S.DEFERRED}' AND r.planned_cycle_id = c.id
     ORDER BY r.decided_at, r.id LIMIT %s) d)
  UNION ALL
  (SELECT r.id, NULL, r.decided_at FROM requests_app_datarequest r
   WHERE r.target_domain_id = %s AND r.status = '{S.DEFERRED}' AND r.planned_cycle_id IS NULL
   ORDER BY r.decided_at, r.id LIMIT %s)
) first
ORDER BY first.starts_on NULLS LAST, first.decided_at, first.id LIMIT %s
"""
