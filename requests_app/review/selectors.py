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

Every figure comes from aggregate queries (conditional ``Count``/``Sum``, ``Case``/``When``
buckets, database-side medians); the number of queries does not depend on the number of requests.
Python only loops over groups (domains, domain pairs, buckets), never over request rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Min,
    Q,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from products.models import DataProduct, Domain
from requests_app import sla
from requests_app.models import DataRequest, DomainCycleCapacity, ReviewSnapshot, RoadmapCycle
from requests_app.review.aggregates import medians

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

REPORTED_STATUSES: tuple[str, ...] = tuple(s for s in S.values if s != S.DRAFT)
COMMITTED = (S.ACCEPTED, S.IN_PROGRESS, S.DELIVERED)
STILL_OPEN = (S.SUBMITTED, S.TRIAGED, S.ACCEPTED, S.IN_PROGRESS)
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
# The "what did not make it" list is bounded; the page links to the full filtered list.
LIST_LIMIT = 500

Progress = Callable[[int], None]


def _start_of_day_after(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def triage_overdue_condition(*, now: dt.datetime | None = None) -> Q:
    """Still submitted (untriaged) past the triage SLA at ``now``: the same rule as the triage
    reminders and the triage inbox (`requests_app.sla.overdue_cutoff`), so the review's figure and
    the request list's ``triage_overdue`` filter count the same requests."""
    return Q(status=S.SUBMITTED, submitted_at__lt=sla.overdue_cutoff(now))


def carried_over_condition(cycle: RoadmapCycle) -> Q:
    """Carried over from ``cycle``: planned in it and accepted or in progress, or delivered after
    it ended; or needed by it and deferred to a later cycle. The review's figure and the request
    list's ``carried_over_from`` filter both use this."""
    planned = Q(planned_cycle=cycle)
    return (
        (planned & Q(status__in=(S.ACCEPTED, S.IN_PROGRESS)))
        | (planned & Q(status=S.DELIVERED, delivered_at__gte=_start_of_day_after(cycle.ends_on)))
        | Q(
            needed_by_cycle=cycle,
            submitted_at__isnull=False,
            status=S.DEFERRED,
            planned_cycle__starts_on__gt=cycle.starts_on,
        )
    )


def _conditions(cycle: RoadmapCycle, *, now: dt.datetime) -> dict[str, Q]:
    """The row conditions the figures count, over ``DataRequest``."""
    in_cycle = Q(needed_by_cycle=cycle, submitted_at__isnull=False)
    planned = Q(planned_cycle=cycle)
    delivered = in_cycle & Q(status=S.DELIVERED, delivered_product__isnull=False)
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
        "delivered_products": delivered,
        "created_products": delivered & Q(delivered_product__created_at__gte=F("submitted_at")),
        "not_made_it": in_cycle & (Q(is_late=True) | Q(status__in=(S.DECLINED, S.DEFERRED))),
        **{f"status_{s}": in_cycle & Q(status=s) for s in REPORTED_STATUSES},
    }


def _aggregates(cycle: RoadmapCycle, *, now: dt.datetime) -> dict[str, Any]:
    """Conditional aggregates, one per figure; used for the whole cycle and per domain alike."""
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
    aggregates["planned_effort"] = Sum("effort", filter=c["planned_effort"], default=0)
    aggregates["delivered_effort"] = Sum("effort", filter=c["delivered_effort"], default=0)
    aggregates["products_delivered"] = Count(
        "delivered_product", distinct=True, filter=c["delivered_products"]
    )
    aggregates["products_created"] = Count(
        "delivered_product", distinct=True, filter=c["created_products"]
    )
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
    buckets: dict[str, int],
    median: dict[str, Any],
) -> dict[str, Any]:
    """Shape one group's aggregate row into the review's figures (same keys overall and per
    domain)."""
    outcomes = {s: row[f"status_{s}"] for s in REPORTED_STATUSES}
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
        "lead_time_buckets": {key: buckets.get(key, 0) for key, *_ in LEAD_TIME_BUCKETS},
        "products_delivered": row["products_delivered"],
        "products_created": row["products_created"],
        "products_extended": row["products_delivered"] - row["products_created"],
        "not_made_it": row["not_made_it"],
    }


def _bucket_case() -> Case:
    whens = []
    for key, _label, low, high in LEAD_TIME_BUCKETS:
        bounds: dict[str, int] = {}
        if low is not None:
            bounds["lead_time_days__gte"] = low
        if high is not None:
            bounds["lead_time_days__lte"] = high
        whens.append(When(**bounds, then=Value(key)))
    return Case(*whens, default=Value(None))


def _domain_ref(slug: str | None, name: str | None) -> dict[str, str | None]:
    return {"slug": slug, "name": name or "No domain given"}


def review_for(
    *, cycle: RoadmapCycle, now: dt.datetime | None = None, progress: Progress | None = None
) -> dict[str, Any]:
    """The review of ``cycle``, overall and per producing domain, as JSON-serializable data.

    A fixed number of aggregate queries whatever the cycle's size; ``progress(percent)`` is
    called as sections complete (the snapshot task reports it).
    """
    now = now or timezone.now()
    report = progress or (lambda percent: None)
    requests = _requests(cycle)
    in_cycle = requests.filter(needed_by_cycle=cycle, submitted_at__isnull=False)
    aggregates = _aggregates(cycle, now=now)

    # 1. The figures, overall and per producing domain.
    overall_row = requests.aggregate(**aggregates)
    domain_rows = list(
        requests.values(
            "target_domain",
            "target_domain__slug",
            "target_domain__name",
            "target_domain__default_capacity",
        ).annotate(**aggregates)
    )
    overrides = dict(
        DomainCycleCapacity.objects.filter(cycle=cycle, capacity__isnull=False).values_list(
            "domain_id", "capacity"
        )
    )
    report(25)

    # 2. Medians (database-side) and the lead-time distribution (Case/When buckets).
    median_values = {
        "lead_time": "lead_time_days",
        "time_to_triage": ExpressionWrapper(
            F("triaged_at") - F("submitted_at"), output_field=DurationField()
        ),
    }
    overall_median = medians(in_cycle, values=median_values).get(None, {})
    domain_median = medians(in_cycle, values=median_values, by="target_domain")
    buckets: dict[Any, dict[str, int]] = defaultdict(dict)
    overall_buckets: dict[str, int] = defaultdict(int)
    for row in (
        in_cycle.annotate(bucket=_bucket_case())
        .filter(bucket__isnull=False)
        .values("target_domain", "bucket")
        .annotate(n=Count("pk"))
    ):
        buckets[row["target_domain"]][row["bucket"]] = row["n"]
        overall_buckets[row["bucket"]] += row["n"]
    report(50)

    domains = []
    total_capacity = None
    for row in sorted(domain_rows, key=lambda r: (-r["in_cycle"], r["target_domain__name"] or "")):
        capacity = None
        if row["planned"]:
            capacity = overrides.get(row["target_domain"], row["target_domain__default_capacity"])
            total_capacity = (total_capacity or 0) + capacity
        domains.append(
            {
                **_domain_ref(row["target_domain__slug"], row["target_domain__name"]),
                **_figures(
                    row,
                    capacity=capacity,
                    buckets=buckets.get(row["target_domain"], {}),
                    median=domain_median.get(row["target_domain"], {}),
                ),
            }
        )
    overall = _figures(
        overall_row, capacity=total_capacity, buckets=overall_buckets, median=overall_median
    )

    # 3. Who depends on whom, and which teams ask earliest.
    dependencies = _dependencies(in_cycle)
    report(70)

    # 4. Products, coverage, and what did not make it.
    products = _products(in_cycle, domains)
    not_made_it = _not_made_it(in_cycle)
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


def _dependencies(in_cycle) -> dict[str, Any]:
    """The requesting × producing matrix and each requesting team's early-filing rate, from one
    grouped query over domain pairs."""
    pairs = list(
        in_cycle.values(
            "requesting_domain__slug",
            "requesting_domain__name",
            "target_domain__slug",
            "target_domain__name",
        ).annotate(
            n=Count("pk"),
            early=Count("pk", filter=Q(is_late=False)),
            lead_sum=Sum("lead_time_days", default=0),
            lead_n=Count("lead_time_days"),
        )
    )
    requesting: dict[str | None, dict] = {}
    producing: dict[str | None, dict] = {}
    cells: dict[tuple, int] = {}
    teams: dict[str | None, dict[str, Any]] = {}
    for pair in pairs:
        req = _domain_ref(pair["requesting_domain__slug"], pair["requesting_domain__name"])
        prod = _domain_ref(pair["target_domain__slug"], pair["target_domain__name"])
        requesting[req["slug"]] = req
        producing[prod["slug"]] = prod
        cells[(req["slug"], prod["slug"])] = pair["n"]
        team = teams.setdefault(req["slug"], {**req, "filed": 0, "early": 0, "_ls": 0, "_ln": 0})
        team["filed"] += pair["n"]
        team["early"] += pair["early"]
        team["_ls"] += pair["lead_sum"]
        team["_ln"] += pair["lead_n"]

    def by_name(d: dict) -> tuple:
        return (d["slug"] is None, d["name"])  # "no domain given" goes last

    order = sorted(producing.values(), key=by_name)
    rows = sorted(requesting.values(), key=by_name)
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
            "requesting": rows,
            "producing": order,
            "counts": [[cells.get((r["slug"], p["slug"]), 0) for p in order] for r in rows],
            "max": max(cells.values(), default=0),
        },
        "teams": team_list,
    }


def _products(in_cycle, domains: list[dict[str, Any]]) -> dict[str, Any]:
    """Data products the cycle's delivered requests created or extended, and the catalog's
    share-by-default coverage (all domains, products by status)."""
    delivered = list(
        in_cycle.filter(status=S.DELIVERED, delivered_product__isnull=False)
        .values(
            "delivered_product",
            "delivered_product__name",
            "delivered_product__status",
            "delivered_product__created_at",
            "delivered_product__domain__slug",
            "delivered_product__domain__name",
        )
        .annotate(requests=Count("pk"), first_submitted=Min("submitted_at"))
        .order_by("delivered_product__domain__name", "delivered_product__name")[:LIST_LIMIT]
    )
    coverage = Domain.objects.aggregate(
        total=Count("pk", distinct=True),
        publishing=Count(
            "pk", distinct=True, filter=Q(data_products__status__in=LIVE_PRODUCT_STATUSES)
        ),
    )
    by_status: dict[str, int] = dict.fromkeys(DataProduct.Status.values, 0)
    by_domain: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(by_status, 0))
    for row in (
        DataProduct.objects.order_by().values("domain__slug", "status").annotate(n=Count("pk"))
    ):
        by_status[row["status"]] += row["n"]
        by_domain[row["domain__slug"]][row["status"]] = row["n"]
    for domain in domains:
        domain["products_by_status"] = dict(
            by_domain.get(domain["slug"], dict.fromkeys(by_status, 0))
        )
    return {
        "delivered": [
            {
                "id": row["delivered_product"],
                "name": row["delivered_product__name"],
                "status": row["delivered_product__status"],
                "domain": _domain_ref(
                    row["delivered_product__domain__slug"], row["delivered_product__domain__name"]
                ),
                "requests": row["requests"],
                "created": row["delivered_product__created_at"] >= row["first_submitted"],
            }
            for row in delivered
        ],
        "coverage": {
            "domains_total": coverage["total"],
            "domains_publishing": coverage["publishing"],
            "domains_publishing_pct": _pct(coverage["publishing"], coverage["total"]),
            "products_by_status": by_status,
        },
    }


def _not_made_it(in_cycle) -> list[dict[str, Any]]:
    """Late, declined and deferred requests with their reasons (bounded; the page links to the
    full filtered list)."""
    rows = (
        in_cycle.filter(Q(is_late=True) | Q(status__in=(S.DECLINED, S.DEFERRED)))
        .values(
            "pk",
            "title",
            "status",
            "is_late",
            "lead_time_days",
            "decision_reason",
            "requesting_domain__slug",
            "requesting_domain__name",
            "target_domain__slug",
            "target_domain__name",
            "planned_cycle__slug",
        )
        .order_by("target_domain__name", "status", "pk")[:LIST_LIMIT]
    )
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
            "requesting_domain": _domain_ref(
                row["requesting_domain__slug"], row["requesting_domain__name"]
            ),
            "target_domain": _domain_ref(row["target_domain__slug"], row["target_domain__name"]),
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
