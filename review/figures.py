"""The review's figures: the row conditions each figure counts, the aggregate pass over a cycle's
requests, and the arithmetic that turns its groups into a domain's and the cycle's figures
(definitions in `review.selectors`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    Count,
    Q,
    Sum,
)
from django.utils.translation import gettext_noop

from products.models import DataProduct
from requests_app import lifecycle
from requests_app.models import DataRequest, RoadmapCycle
from requests_app.selectors import carried_over_condition, triage_overdue_condition

S = DataRequest.Status


REPORTED_STATUSES = lifecycle.REPORTED_STATES


COMMITTED = lifecycle.COMMITTED_STATES


STILL_OPEN = lifecycle.STILL_OPEN_STATES


LIVE_PRODUCT_STATUSES = (
    DataProduct.Status.SHARED,
    DataProduct.Status.INCUBATING,
    DataProduct.Status.PRODUCT,
)


# (key, label, lower bound, upper bound) in days of lead time; None is open-ended. The label
# stays English in the data (the API, frozen reviews) and is translated where it is shown.
LEAD_TIME_BUCKETS: tuple[tuple[str, str, int | None, int | None], ...] = (
    ("after_start", gettext_noop("after start (< 0)"), None, -1),
    ("0_30", gettext_noop("0–30 days"), 0, 30),
    ("31_60", gettext_noop("31–60 days"), 31, 60),
    ("61_90", gettext_noop("61–90 days"), 61, 90),
    ("over_90", gettext_noop("over 90 days"), 91, None),
)


# The demand from which a request counts as "demanded" (another team needs it too).
MIN_DEMANDED = 2
UNMET_STATUSES = (S.DECLINED, S.DEFERRED)
UNMET_DEMAND = Q(status__in=UNMET_STATUSES, demand__gte=MIN_DEMANDED)


# What did not make it: late, declined or deferred.
NOT_MADE_IT = Q(is_late=True) | Q(status__in=(S.DECLINED, S.DEFERRED))


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
        # Demand: wanted by two teams or more; "unmet" when declined or deferred all the same.
        "demanded": in_cycle & Q(demand__gte=MIN_DEMANDED),
        "unmet_demand": in_cycle & UNMET_DEMAND,
        **{f"status_{s}": in_cycle & Q(status=s) for s in REPORTED_STATUSES},
    }


def _lead_time_range(low: int | None, high: int | None) -> Q:
    bounds: dict[str, int] = {}
    if low is not None:
        bounds["lead_time_days__gte"] = low
    if high is not None:
        bounds["lead_time_days__lte"] = high
    return Q(**bounds)


def cycle_aggregates(cycle: RoadmapCycle, *, now: dt.datetime) -> dict[str, Any]:
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
        "demanded",
        "unmet_demand",
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


def cycle_requests(cycle: RoadmapCycle) -> Any:
    """Every request a figure may count: the cycle's requests and the work planned in it."""
    return DataRequest.objects.filter(
        Q(needed_by_cycle=cycle, submitted_at__isnull=False) | Q(planned_cycle=cycle)
    ).order_by()


def percent(part: float | int | None, whole: float | int | None) -> float | None:
    if not whole or part is None:
        return None
    return round(100 * part / whole, 1)


def _days(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, dt.timedelta):
        return round(value.total_seconds() / 86400, 1)
    return round(float(value), 1)


def figures_from(
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
        "early_pct": percent(row["early"], row["in_cycle"]),
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
        "delivery_pct": percent(outcomes[S.DELIVERED], row["accepted"]),
        "carried_over": row["carried_over"],
        "capacity": capacity,
        "planned_effort": row["planned_effort"],
        "delivered_effort": row["delivered_effort"],
        "utilization_pct": percent(row["planned_effort"], capacity),
        "lead_time_buckets": {key: row[f"lead_{key}"] for key, *_ in LEAD_TIME_BUCKETS},
        "products_delivered": delivered_products,
        "products_created": created_products,
        "products_extended": delivered_products - created_products,
        "not_made_it": row["not_made_it"],
        "demanded": row["demanded"],
        "unmet_demand": row["unmet_demand"],
    }


def domain_ref(slug: str | None, name: str | None) -> dict[str, str | None]:
    return {"slug": slug, "name": name or "No domain given"}


def column_sums(rows: list[list[int]], width: int) -> list[int]:
    return [sum(column) for column in zip(*rows, strict=True)] if rows else [0] * width
