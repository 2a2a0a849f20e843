"""The quarterly roadmap review of a cycle: what was asked, when, of whom, and what came of it.

Definitions (also shown on the review page and returned as ``definitions`` by the API):

- **Requests for the cycle**: submitted requests (``submitted_at`` set, whatever happened since)
  whose ``needed_by_cycle`` is the cycle. Drafts never count.
- **Early / late**: early when ``is_late`` is false (submitted by the cycle's request deadline);
  both are stamped at submit. **% early** = early ÷ requests for the cycle.
- **Median lead time**: median of ``lead_time_days`` (cycle start − submission date), in days.
- **Median time to triage**: median of ``triaged_at − submitted_at``, in days, over the requests
  that have been triaged (accepting, declining, deferring or closing as duplicate triages too).
- **Overdue triage**: still ``submitted`` (untriaged) and waiting more than
  ``TRIAGE_SLA_WORKING_DAYS`` working days (Monday to Friday) when the review was computed: the
  rule the triage reminders and the triage inbox use (``requests_app.sla.overdue_cutoff``).
- **Outcomes** are by current status. **Accepted** = accepted + in progress + delivered (the work
  committed to); **still open** = submitted + triaged + accepted + in progress; **delivery rate** =
  delivered ÷ accepted.
- **Carried over**: requests planned for this cycle that are accepted or in progress, or were
  delivered after the cycle ended; plus requests for the cycle deferred to a later cycle.
- **Capacity**: for each domain with requests planned in the cycle, its capacity for the cycle
  (``DomainCycleCapacity.capacity``, else ``Domain.default_capacity``). **Planned effort**: the
  effort of requests planned for the cycle that are accepted, in progress or delivered;
  **delivered effort**: those delivered. **Utilization** = planned effort ÷ capacity.
- **Dependencies**: requests for the cycle counted by requesting domain × producing domain.
- **Products created or extended**: the data products that delivered requests for the cycle
  delivered; *created* when the product was registered after the request was submitted, otherwise
  *extended*. **Share-by-default coverage**: domains with at least one live (not deprecated) data
  product, out of all domains; products by status (the catalog as it is now).
- **Lead-time distribution**: requests for the cycle by lead time: after the cycle started (< 0
  days), 0–30, 31–60, 61–90 and over 90 days.

Every figure comes from aggregate queries (conditional ``Count``/``Sum``, database-side
medians); the number of queries does not depend on the number of requests. The figures that add up
(counts, sums) come from one pass over the cycle's rows grouped by (requesting, producing) domain
pair; Python adds those groups into each domain's figures and the cycle's, and the dependency
matrix reads the same groups. Medians (per domain and overall) take one more pass, the products
and the "did not make it" list one query each. Python only loops over groups (domains, domain
pairs, products), never over request rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from products.models import DataProduct, Domain
from requests_app import lifecycle
from requests_app.models import DataRequest, DomainCycleCapacity, RoadmapCycle
from requests_app.selectors import carried_over_condition, triage_overdue_condition
from review import caching
from review.aggregates import medians_with_total
from review.models import ReviewSnapshot

S = DataRequest.Status

DEFINITIONS: dict[str, str] = {
    "requests": "Submitted requests whose needed-by cycle is this cycle (drafts never count).",
    "early": "Submitted by the cycle's request deadline (is_late false); % early = early ÷ requests.",
    "lead_time": "Days between submission and the cycle start; the median over the requests.",
    "time_to_triage": "Days from submission to triage, median over the requests triaged so far.",
    "overdue_triage": "Still submitted (untriaged) and older than the triage SLA in working days.",
    "outcomes": "By current status. Accepted counts accepted, in progress and delivered; still "
    "open counts submitted, triaged, accepted and in progress.",
    "delivery_rate": "Delivered ÷ accepted.",
    "carried_over": "Planned for this cycle and accepted or in progress (or delivered after the "
    "cycle ended), plus requests for the cycle deferred to a later cycle.",
    "capacity": "Each domain's capacity for the cycle (its override, else its default), for "
    "domains with requests planned in the cycle.",
    "planned_effort": "Effort of requests planned for the cycle that are accepted, in progress or "
    "delivered; delivered effort counts the delivered ones; utilization = planned ÷ capacity.",
    "dependencies": "Requests for the cycle by requesting domain × producing domain.",
    "products": "Data products delivered by the cycle's requests: created when registered after "
    "the request was submitted, otherwise extended.",
    "coverage": "Domains with at least one live (not deprecated) data product, of all domains.",
}

REPORTED_STATUSES = lifecycle.REPORTED_STATES
COMMITTED = lifecycle.COMMITTED_STATES
STILL_OPEN = lifecycle.STILL_OPEN_STATES
LIVE_PRODUCT_STATUSES = (
    DataProduct.Status.SHARED,
    DataProduct.Status.INCUBATING,
    DataProduct.Status.PRODUCT,
)
# (key, label, lower bound, upper bound) in days of lead time; None is open-ended.
LEAD_TIME_BUCKETS: tuple[tuple[str, str, int | None, int | None], ...] = (
    ("after_start", "after start (< 0)", None, -1),
    ("0_30", "0–30 days", 0, 30),
    ("31_60", "31–60 days", 31, 60),
    ("61_90", "61–90 days", 61, 90),
    ("over_90", "over 90 days", 91, None),
)
# What did not make it: late, declined or deferred.
NOT_MADE_IT = Q(is_late=True) | Q(status__in=(S.DECLINED, S.DEFERRED))
# The "what did not make it" list is bounded; the page links to the full filtered list.
LIST_LIMIT = 500

Progress = Callable[[int], None]


def _conditions(cycle: RoadmapCycle, *, now: dt.datetime) -> dict[str, Q]:
    """The row conditions the figures count, over ``DataRequest``."""
    in_cycle = Q(needed_by_cycle=cycle, submitted_at__isnull=False)
    planned = Q(planned_cycle=cycle)
    return {
        "in_cycle": in_cycle,
        "planned": planned,
        "early": in_cycle & Q(is_late=False),
        "late": in_cycle & Q(is_late=True),
        "overdue_triage": in_cycle & triage_overdue_condition(now=now),
        "accepted": in_cycle & Q(status__in=COMMITTED),
        "still_open": in_cycle & Q(status__in=STILL_OPEN),
        "carried_over": carried_over_condition(cycle),
        "planned_effort": planned & Q(status__in=COMMITTED),
        "delivered_effort": planned & Q(status=S.DELIVERED),
        "not_made_it": in_cycle & NOT_MADE_IT,
        **{f"status_{s}": in_cycle & Q(status=s) for s in REPORTED_STATUSES},
    }


def _lead_time_range(low: int | None, high: int | None) -> Q:
    bounds: dict[str, int] = {}
    if low is not None:
        bounds["lead_time_days__gte"] = low
    if high is not None:
        bounds["lead_time_days__lte"] = high
    return Q(**bounds)


def _aggregates(cycle: RoadmapCycle, *, now: dt.datetime) -> dict[str, Any]:
    """Conditional aggregates, one per additive figure: computed per (requesting, producing)
    domain pair in one pass over the rows, they add up to each domain's figures and the cycle's.
    (Medians and distinct products do not add up; they have their own queries.)"""
    c = _conditions(cycle, now=now)
    counted = [
        "in_cycle",
        "planned",
        "early",
        "late",
        "overdue_triage",
        "accepted",
        "still_open",
        "carried_over",
        "not_made_it",
        *(f"status_{s}" for s in REPORTED_STATUSES),
    ]
    aggregates: dict[str, Any] = {name: Count("pk", filter=c[name]) for name in counted}
    for key, _label, low, high in LEAD_TIME_BUCKETS:
        aggregates[f"lead_{key}"] = Count("pk", filter=c["in_cycle"] & _lead_time_range(low, high))
    aggregates["planned_effort"] = Sum("effort", filter=c["planned_effort"], default=0)
    aggregates["delivered_effort"] = Sum("effort", filter=c["delivered_effort"], default=0)
    # A requesting team's mean lead time is their sum over their count.
    aggregates["lead_sum"] = Sum("lead_time_days", filter=c["in_cycle"], default=0)
    aggregates["lead_n"] = Count("lead_time_days", filter=c["in_cycle"])
    return aggregates


def _requests(cycle: RoadmapCycle) -> Any:
    """Every request a figure may count: the cycle's requests and the work planned in it."""
    return DataRequest.objects.filter(
        Q(needed_by_cycle=cycle, submitted_at__isnull=False) | Q(planned_cycle=cycle)
    ).order_by()


def _pct(part: float | int | None, whole: float | int | None) -> float | None:
    if not whole or part is None:
        return None
    return round(100 * part / whole, 1)


def _days(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, dt.timedelta):
        return round(value.total_seconds() / 86400, 1)
    return round(float(value), 1)


def _figures(
    row: dict[str, Any],
    *,
    capacity: int | None,
    median: dict[str, Any],
    products: tuple[int, int],
) -> dict[str, Any]:
    """Shape one group's summed row into the review's figures (same keys overall and per
    domain); ``products`` is (delivered, created)."""
    outcomes = {s: row[f"status_{s}"] for s in REPORTED_STATUSES}
    delivered_products, created_products = products
    return {
        "filed": row["in_cycle"],
        "early": row["early"],
        "late": row["late"],
        "early_pct": _pct(row["early"], row["in_cycle"]),
        "median_lead_time_days": _days(median.get("lead_time")),
        "median_triage_days": _days(median.get("time_to_triage")),
        "overdue_triage": row["overdue_triage"],
        "outcomes": outcomes,
        "accepted": row["accepted"],
        "delivered": outcomes[S.DELIVERED],
        "declined": outcomes[S.DECLINED],
        "deferred": outcomes[S.DEFERRED],
        "withdrawn": outcomes[S.WITHDRAWN],
        "duplicate": outcomes[S.DUPLICATE],
        "still_open": row["still_open"],
        "delivery_pct": _pct(outcomes[S.DELIVERED], row["accepted"]),
        "carried_over": row["carried_over"],
        "capacity": capacity,
        "planned_effort": row["planned_effort"],
        "delivered_effort": row["delivered_effort"],
        "utilization_pct": _pct(row["planned_effort"], capacity),
        "lead_time_buckets": {key: row[f"lead_{key}"] for key, *_ in LEAD_TIME_BUCKETS},
        "products_delivered": delivered_products,
        "products_created": created_products,
        "products_extended": delivered_products - created_products,
        "not_made_it": row["not_made_it"],
    }


def _domain_ref(slug: str | None, name: str | None) -> dict[str, str | None]:
    return {"slug": slug, "name": name or "No domain given"}


def _column_sums(rows: list[list[int]], width: int) -> list[int]:
    return [sum(column) for column in zip(*rows, strict=True)] if rows else [0] * width


def review_for(
    *, cycle: RoadmapCycle, now: dt.datetime | None = None, progress: Progress | None = None
) -> dict[str, Any]:
    """The review of ``cycle`` (see `review_compute`). The live review, asked for without
    ``now`` or ``progress``, comes from the cache while no write since it was computed can have
    changed a figure (`review.caching`); a review at a given time, or with progress reports
    (a snapshot), is always computed."""
    if now is not None or progress is not None:
        return review_compute(cycle=cycle, now=now, progress=progress)
    now = timezone.now()
    return caching.cached_review(
        cycle_id=cycle.pk, now=now, compute=lambda: review_compute(cycle=cycle, now=now)
    )


def review_compute(
    *, cycle: RoadmapCycle, now: dt.datetime | None = None, progress: Progress | None = None
) -> dict[str, Any]:
    """The review of ``cycle``, overall and per producing domain, as JSON-serializable data,
    computed now (never from the cache).

    A fixed number of aggregate queries whatever the cycle's size (5 on PostgreSQL);
    ``progress(percent)`` is called as sections complete (the snapshot task reports it).
    """
    now = now or timezone.now()
    report = progress or (lambda percent: None)
    in_cycle = DataRequest.objects.filter(needed_by_cycle=cycle, submitted_at__isnull=False)
    in_cycle = in_cycle.order_by()

    # 1. Every domain once: names, capacity for the cycle, catalog by status.
    catalog = _domain_catalog(cycle)

    # 2. The additive figures per (requesting, producing) pair, in one pass over the rows;
    #    Python adds up the groups (at most domains²), never the request rows.
    aggregates = _aggregates(cycle, now=now)
    names = list(aggregates)
    pairs: list[tuple[Any, Any, list[int]]] = []
    by_target: dict[Any, list[list[int]]] = defaultdict(list)
    pair_rows = _requests(cycle).values_list("requesting_domain", "target_domain")
    for requesting, target, *values in _plain_rows(pair_rows.annotate(**aggregates)):
        pairs.append((requesting, target, values))
        by_target[target].append(values)
    sums = {target: _column_sums(rows, len(names)) for target, rows in by_target.items()}
    overall_sums = _column_sums(list(sums.values()), len(names))
    domain_rows = {target: dict(zip(names, row, strict=True)) for target, row in sums.items()}
    overall_row = dict(zip(names, overall_sums, strict=True))
    report(25)

    # 3. Medians (database-side), per producing domain and overall.
    median_values = {
        "lead_time": "lead_time_days",
        "time_to_triage": ExpressionWrapper(
            F("triaged_at") - F("submitted_at"), output_field=DurationField()
        ),
    }
    domain_median, overall_median = medians_with_total(
        in_cycle, values=median_values, by="target_domain"
    )
    report(50)

    # 4. Products the cycle's deliveries created or extended (per domain, overall, listed).
    products, product_counts = _products(in_cycle, catalog)

    domains = []
    total_capacity = None
    for target, row in sorted(
        domain_rows.items(), key=lambda item: (-item[1]["in_cycle"], _name(catalog, item[0]))
    ):
        ref = catalog["domains"].get(target)
        capacity = None
        if row["planned"] and ref is not None:
            capacity = ref["capacity"]
            total_capacity = (total_capacity or 0) + capacity
        domains.append(
            {
                **_domain_ref(ref and ref["slug"], ref and ref["name"]),
                **_figures(
                    row,
                    capacity=capacity,
                    median=domain_median.get(target, {}),
                    products=product_counts.get(target, (0, 0)),
                ),
                "products_by_status": dict(
                    ref["products_by_status"]
                    if ref
                    else dict.fromkeys(DataProduct.Status.values, 0)
                ),
            }
        )
    overall = _figures(
        overall_row,
        capacity=total_capacity,
        median=overall_median,
        products=product_counts.get(ALL, (0, 0)),
    )

    # 5. Who depends on whom, and which teams ask earliest (from the same pairs).
    dependencies = _dependencies(pairs, names, catalog)
    report(70)

    # 6. What did not make it.
    not_made_it = _not_made_it(in_cycle, catalog, domain_rows)
    report(90)

    return {
        "cycle": {
            "slug": cycle.slug,
            "name": cycle.name,
            "starts_on": cycle.starts_on.isoformat(),
            "ends_on": cycle.ends_on.isoformat(),
            "request_deadline": cycle.request_deadline.isoformat(),
            "review_on": cycle.review_on.isoformat() if cycle.review_on else None,
        },
        "computed_at": now.isoformat(),
        "triage_sla_working_days": settings.TRIAGE_SLA_WORKING_DAYS,
        "definitions": DEFINITIONS,
        "lead_time_buckets": [
            {"key": key, "label": label, "count": overall["lead_time_buckets"][key]}
            for key, label, *_ in LEAD_TIME_BUCKETS
        ],
        "overall": overall,
        "domains": domains,
        "most_asked": [
            {"slug": d["slug"], "name": d["name"], "filed": d["filed"]}
            for d in domains
            if d["filed"]
        ][:5],
        **dependencies,
        "products": products,
        "not_made_it": not_made_it,
        "not_made_it_total": overall["not_made_it"],
    }


# The key of the whole cycle beside the per-domain keys (domain ids, or None for no domain).
ALL = "all"


def _plain_rows(queryset) -> list[tuple]:
    """The rows of ``queryset`` as the database driver gives them. For rows of ids, counts and
    integer sums only: those need none of Django's per-value converters, which would otherwise
    run once per figure per row (a third of the Python time of a review)."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _name(catalog: dict[str, Any], domain_id: Any) -> str:
    ref = catalog["domains"].get(domain_id)
    return ref["name"] if ref else ""


def _domain_catalog(cycle: RoadmapCycle) -> dict[str, Any]:
    """Every domain, in name order, with its capacity for ``cycle`` (the override, else its
    default) and its data products by status; and share-by-default coverage over them. One
    query: the review's other queries carry domain ids only."""
    statuses = DataProduct.Status.values
    override = DomainCycleCapacity.objects.filter(domain=OuterRef("pk"), cycle=cycle)
    rows = (
        Domain.objects.order_by("name")
        .values("pk", "slug", "name", "default_capacity")
        .annotate(
            override=Subquery(override.values("capacity")[:1]),
            **{
                f"products_{s}": Count("data_products", filter=Q(data_products__status=s))
                for s in statuses
            },
        )
    )
    domains: dict[Any, dict[str, Any]] = {}
    by_status: dict[str, int] = dict.fromkeys(statuses, 0)
    publishing = 0
    for row in rows:
        counts = {s: row[f"products_{s}"] for s in statuses}
        for s, n in counts.items():
            by_status[s] += n
        publishing += any(counts[s] for s in LIVE_PRODUCT_STATUSES)
        domains[row["pk"]] = {
            "slug": row["slug"],
            "name": row["name"],
            "capacity": row["default_capacity"] if row["override"] is None else row["override"],
            "products_by_status": counts,
        }
    return {
        "domains": domains,
        "coverage": {
            "domains_total": len(domains),
            "domains_publishing": publishing,
            "domains_publishing_pct": _pct(publishing, len(domains)),
            "products_by_status": by_status,
        },
    }


def _ref(catalog: dict[str, Any], domain_id: Any) -> dict[str, str | None]:
    ref = catalog["domains"].get(domain_id)
    return _domain_ref(ref and ref["slug"], ref and ref["name"])


def _dependencies(
    pairs: list[tuple[Any, Any, list[int]]], names: list[str], catalog: dict[str, Any]
) -> dict[str, Any]:
    """The requesting × producing matrix and each requesting team's early-filing rate, from the
    pairs' rows (the pairs with requests for the cycle)."""
    at = {name: names.index(name) for name in ("in_cycle", "early", "lead_sum", "lead_n")}
    requesting: dict[Any, dict] = {}
    producing: dict[Any, dict] = {}
    cells: dict[tuple, int] = {}
    teams: dict[Any, dict[str, Any]] = {}
    for requesting_id, target_id, values in pairs:
        n = values[at["in_cycle"]]
        if not n:
            continue  # planned in the cycle only: not one of the cycle's requests
        if requesting_id not in requesting:
            requesting[requesting_id] = _ref(catalog, requesting_id)
            teams[requesting_id] = {**requesting[requesting_id], "filed": 0, "early": 0}
            teams[requesting_id].update(_ls=0, _ln=0)
        if target_id not in producing:
            producing[target_id] = _ref(catalog, target_id)
        cells[(requesting_id, target_id)] = n
        team = teams[requesting_id]
        team["filed"] += n
        team["early"] += values[at["early"]]
        team["_ls"] += values[at["lead_sum"]]
        team["_ln"] += values[at["lead_n"]]

    def by_name(item: tuple[Any, dict]) -> tuple:
        return (item[1]["slug"] is None, item[1]["name"])  # "no domain given" goes last

    order = sorted(producing.items(), key=by_name)
    rows = sorted(requesting.items(), key=by_name)
    team_list = []
    for team in teams.values():
        lead_sum, lead_n = team.pop("_ls"), team.pop("_ln")
        if team["slug"] is None:
            continue  # requests filed without a requesting team rank no team
        team["early_pct"] = _pct(team["early"], team["filed"])
        team["mean_lead_time_days"] = round(lead_sum / lead_n, 1) if lead_n else None
        team_list.append(team)
    team_list.sort(
        key=lambda t: (-(t["early_pct"] or 0), -(t["mean_lead_time_days"] or 0), t["name"])
    )
    return {
        "dependencies": {
            "requesting": [ref for _, ref in rows],
            "producing": [ref for _, ref in order],
            "counts": [[cells.get((r, p), 0) for p, _ in order] for r, _ in rows],
            "max": max(cells.values(), default=0),
        },
        "teams": team_list,
    }


def _products(
    in_cycle, catalog: dict[str, Any]
) -> tuple[dict[str, Any], dict[Any, tuple[int, int]]]:
    """Data products the cycle's delivered requests created or extended: the list (bounded),
    and (delivered, created) per producing domain and for the cycle (key ``ALL``); with the
    catalog's share-by-default coverage.

    One grouped query by (producing domain, product): a product counts once per domain and once
    overall; it was *created* for a group when it was registered after the group's first
    request was submitted, so created for the cycle when created for any of its groups."""
    rows = (
        in_cycle.filter(status=S.DELIVERED, delivered_product__isnull=False)
        .values_list(
            "target_domain",
            "delivered_product",
            "delivered_product__name",
            "delivered_product__status",
            "delivered_product__domain__slug",
            "delivered_product__domain__name",
        )
        .annotate(
            requests=Count("pk"),
            created=GreaterThanOrEqual(F("delivered_product__created_at"), Min("submitted_at")),
        )
        .order_by("delivered_product__domain__name", "delivered_product__name", "delivered_product")
    )
    counts: dict[Any, list[int]] = defaultdict(lambda: [0, 0])
    listed: dict[int, dict[str, Any]] = {}  # in the database's order
    for target, pk, name, status, slug, domain_name, requests, created in rows:
        counts[target][0] += 1
        counts[target][1] += created
        product = listed.get(pk)
        if product:
            product["requests"] += requests
            product["created"] = product["created"] or created
            continue
        listed[pk] = {
            "id": pk,
            "name": name,
            "status": status,
            "domain": _domain_ref(slug, domain_name),
            "requests": requests,
            "created": created,
        }
    result = {target: (n, created) for target, (n, created) in counts.items()}
    result[ALL] = (len(listed), sum(p["created"] for p in listed.values()))
    products = {"delivered": list(listed.values())[:LIST_LIMIT], "coverage": catalog["coverage"]}
    return products, result


def _not_made_it(
    in_cycle, catalog: dict[str, Any], domain_rows: dict[Any, dict[str, Any]]
) -> list[dict[str, Any]]:
    """Late, declined and deferred requests with their reasons (bounded; the page links to the
    full filtered list).

    The list is in producing-domain name order, so only the first domains (in the database's
    name order) whose counts reach the bound can appear: the query reads those domains' rows
    only, not the whole cycle's."""
    candidates = in_cycle.filter(NOT_MADE_IT)
    if not domain_rows.get(None, {}).get("not_made_it"):  # rows without a domain sort apart
        shown, needed = [], LIST_LIMIT
        for domain_id in catalog["domains"]:  # name order
            if needed <= 0:
                break
            count = domain_rows.get(domain_id, {}).get("not_made_it", 0)
            if count:
                shown.append(domain_id)
                needed -= count
        candidates = candidates.filter(target_domain__in=shown)
    rows = candidates.values(
        "pk",
        "title",
        "status",
        "is_late",
        "lead_time_days",
        "decision_reason",
        "requesting_domain",
        "target_domain",
        "planned_cycle__slug",
    ).order_by("target_domain__name", "status", "pk")[:LIST_LIMIT]
    return [
        {
            "id": row["pk"],
            "key": f"DR-{row['pk']}",
            "title": row["title"],
            "status": row["status"],
            "status_label": S(row["status"]).label,
            "is_late": row["is_late"],
            "lead_time_days": row["lead_time_days"],
            "reason": row["decision_reason"],
            "requesting_domain": _ref(catalog, row["requesting_domain"]),
            "target_domain": _ref(catalog, row["target_domain"]),
            "moved_to_cycle": row["planned_cycle__slug"] if row["status"] == S.DEFERRED else None,
        }
        for row in rows
    ]


def snapshot_latest(*, cycle: RoadmapCycle) -> ReviewSnapshot | None:
    """The most recent snapshot of ``cycle`` that finished, if any (the frozen review)."""
    return (
        ReviewSnapshot.objects.filter(cycle=cycle, status=ReviewSnapshot.Status.DONE)
        .select_related("created_by")
        .order_by("-finished_at", "-pk")
        .first()
    )


def snapshot_in_flight(*, cycle: RoadmapCycle) -> ReviewSnapshot | None:
    """A snapshot of ``cycle`` still pending or running (the page shows its progress)."""
    return (
        ReviewSnapshot.objects.filter(
            cycle=cycle,
            status__in=(ReviewSnapshot.Status.PENDING, ReviewSnapshot.Status.RUNNING),
        )
        .order_by("-pk")
        .first()
    )
