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
matrix reads the same groups. Medians (per domain and overall) take one more pass, which on
PostgreSQL also groups the delivered requests by (domain, product) (``GROUPING SETS``; then one
query names those products); elsewhere the products take their own grouped query. The "did not
make it" list is one query. Python only loops over groups (domains, domain pairs, products),
never over request rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import (
    DurationField,
    ExpressionWrapper,
    F,
)
from django.utils import timezone
from django.utils.translation import gettext_noop

from products.models import DataProduct
from requests_app.models import DataRequest, RoadmapCycle
from review import caching
from review.aggregates import medians_with_items
from review.figures import (
    LEAD_TIME_BUCKETS,
    column_sums,
    cycle_aggregates,
    cycle_requests,
    domain_ref,
    figures_from,
)
from review.models import ReviewSnapshot
from review.tables import (
    ALL,
    DELIVERED_PRODUCT,
    dependency_matrix,
    domain_catalog,
    domain_name,
    most_demanded_table,
    not_made_it_table,
    plain_rows,
    product_table,
)

# Marked for translation; the page shows them in the reader's language, the API in English.
DEFINITIONS: dict[str, str] = {
    "requests": gettext_noop(
        "Submitted requests whose needed-by cycle is this cycle (drafts never count)."
    ),
    "early": gettext_noop(
        "Submitted by the cycle's request deadline (is_late false); % early = early ÷ requests."
    ),
    "lead_time": gettext_noop(
        "Days between submission and the cycle start; the median over the requests."
    ),
    "time_to_triage": gettext_noop(
        "Days from submission to triage, median over the requests triaged so far."
    ),
    "overdue_triage": gettext_noop(
        "Still submitted (untriaged) and older than the triage SLA in working days."
    ),
    "outcomes": gettext_noop(
        "By current status. Accepted counts accepted, in progress and delivered; still "
        "open counts submitted, triaged, accepted and in progress."
    ),
    "delivery_rate": gettext_noop("Delivered ÷ accepted."),
    "carried_over": gettext_noop(
        "Planned for this cycle and accepted or in progress (or delivered after the "
        "cycle ended), plus requests for the cycle deferred to a later cycle."
    ),
    "capacity": gettext_noop(
        "Each domain's capacity for the cycle (its override, else its default), for "
        "domains with requests planned in the cycle."
    ),
    "planned_effort": gettext_noop(
        "Effort of requests planned for the cycle that are accepted, in progress or "
        "delivered; delivered effort counts the delivered ones; utilization = planned ÷ capacity."
    ),
    "dependencies": gettext_noop("Requests for the cycle by requesting domain × producing domain."),
    "products": gettext_noop(
        "Data products delivered by the cycle's requests: created when registered after "
        "the request was submitted, otherwise extended."
    ),
    "coverage": gettext_noop(
        "Domains with at least one live (not deprecated) data product, of all domains."
    ),
    "demand": gettext_noop(
        "Distinct teams that need a request: the requester's and the endorsers'. Most "
        "demanded: needed by 2 teams or more; unmet demand: those declined or deferred."
    ),
}


Progress = Callable[[int], None]


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
    catalog = domain_catalog(cycle)

    # 2. The additive figures per (requesting, producing) pair, in one pass over the rows;
    #    Python adds up the groups (at most domains²), never the request rows.
    aggregates = cycle_aggregates(cycle, now=now)
    names = list(aggregates)
    pairs: list[tuple[Any, Any, list[int]]] = []
    by_target: dict[Any, list[list[int]]] = defaultdict(list)
    pair_rows = cycle_requests(cycle).values_list("requesting_domain", "target_domain")
    for requesting, target, *values in plain_rows(pair_rows.annotate(**aggregates)):
        pairs.append((requesting, target, values))
        by_target[target].append(values)
    sums = {target: column_sums(rows, len(names)) for target, rows in by_target.items()}
    overall_sums = column_sums(list(sums.values()), len(names))
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
    #    On PostgreSQL the same pass groups the delivered requests by (domain, product).
    domain_median, overall_median, delivered = medians_with_items(
        in_cycle,
        values=median_values,
        by="target_domain",
        item="delivered_product",
        item_when=DELIVERED_PRODUCT,
        first="submitted_at",
    )
    report(50)

    # 4. Products the cycle's deliveries created or extended (per domain, overall, listed).
    products, product_counts = product_table(in_cycle, catalog, delivered)

    domains = []
    total_capacity = None
    for target, row in sorted(
        domain_rows.items(), key=lambda item: (-item[1]["in_cycle"], domain_name(catalog, item[0]))
    ):
        ref = catalog["domains"].get(target)
        capacity = None
        if row["planned"] and ref is not None:
            capacity = ref["capacity"]
            total_capacity = (total_capacity or 0) + capacity
        domains.append(
            {
                **domain_ref(ref and ref["slug"], ref and ref["name"]),
                **figures_from(
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
    overall = figures_from(
        overall_row,
        capacity=total_capacity,
        median=overall_median,
        products=product_counts.get(ALL, (0, 0)),
    )

    # 5. Who depends on whom, and which teams ask earliest (from the same pairs).
    dependencies = dependency_matrix(pairs, names, catalog)
    report(70)

    # 6. What did not make it, and what most teams need.
    not_made_it = not_made_it_table(in_cycle, catalog, domain_rows)
    most_demanded = most_demanded_table(in_cycle, catalog, overall["demanded"])
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
        "most_demanded": most_demanded,
    }


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
