"""From a review figure to the filtered request list behind it, and the page's headline rows.

The request list takes the request FilterSet's query parameters (the same names as the API), so a
figure links to ``requests_app:request-list`` with ``needed_by_cycle``/``planned_cycle``,
``status`` (repeatable), ``is_late``, ``triage_overdue``, ``carried_over_from``, ``target_domain``
and ``requesting_domain``. Every count links to a list of exactly the requests it counts (the
filters and the figures share their conditions, see ``review.selectors``); effort figures link to
the requests whose effort they add up, and rates to their numerator.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy

from review.figures import (
    COMMITTED,
    MIN_DEMANDED,
    REPORTED_STATUSES,
    STILL_OPEN,
    UNMET_STATUSES,
)

# metric → (cycle filter, extra filters). The per-status entries come first so that the figures
# whose name is also a status ("accepted" counts accepted, in progress and delivered) override them.
METRIC_FILTERS: dict[str, tuple[str, dict[str, Any]]] = {
    **{s: ("needed_by_cycle", {"status": (s,)}) for s in REPORTED_STATUSES},
    "filed": ("needed_by_cycle", {"status": REPORTED_STATUSES}),
    "early": ("needed_by_cycle", {"status": REPORTED_STATUSES, "is_late": "false"}),
    "late": ("needed_by_cycle", {"status": REPORTED_STATUSES, "is_late": "true"}),
    "accepted": ("needed_by_cycle", {"status": COMMITTED}),
    "still_open": ("needed_by_cycle", {"status": STILL_OPEN}),
    "overdue_triage": ("needed_by_cycle", {"triage_overdue": "true"}),
    "carried_over": ("carried_over_from", {}),
    "planned_effort": ("planned_cycle", {"status": COMMITTED}),
    "delivered_effort": ("planned_cycle", {"status": ("delivered",)}),
    # Demand: the list filters on it (``min_demand``) and shows the most demanded first.
    "demanded": (
        "needed_by_cycle",
        {"status": REPORTED_STATUSES, "min_demand": MIN_DEMANDED, "ordering": "-demand"},
    ),
    "unmet_demand": (
        "needed_by_cycle",
        {"status": UNMET_STATUSES, "min_demand": MIN_DEMANDED, "ordering": "-demand"},
    ),
}


def request_list_url(**params: Any) -> str:
    """The request list filtered by ``params`` (lists and tuples repeat the parameter)."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")}, doseq=True)
    return f"{reverse('requests_app:request-list')}?{query}"


def review_link(
    cycle_slug: str,
    metric: str,
    *,
    target_domain: str | None = None,
    requesting_domain: str | None = None,
) -> str | None:
    """The filtered list behind ``metric`` of a cycle (optionally for one domain or team)."""
    if metric not in METRIC_FILTERS:
        return None
    cycle_param, extra = METRIC_FILTERS[metric]
    return request_list_url(
        **{cycle_param: cycle_slug},
        **extra,
        target_domain=target_domain,
        requesting_domain=requesting_domain,
    )


# (figure key, label, unit, metric the number links to)
HEADLINES: tuple[tuple[str, Any, Any, str | None], ...] = (
    ("filed", gettext_lazy("Requests filed"), "", "filed"),
    ("early_pct", gettext_lazy("Filed early"), "%", "early"),
    ("late", gettext_lazy("Filed late"), "", "late"),
    ("median_lead_time_days", gettext_lazy("Median lead time"), gettext_lazy(" days"), None),
    ("median_triage_days", gettext_lazy("Median time to triage"), gettext_lazy(" days"), None),
    ("overdue_triage", gettext_lazy("Overdue triage"), "", "overdue_triage"),
    ("accepted", gettext_lazy("Accepted"), "", "accepted"),
    ("delivered", gettext_lazy("Delivered"), "", "delivered"),
    ("delivery_pct", gettext_lazy("Delivery rate"), "%", "delivered"),
    ("declined", gettext_lazy("Declined"), "", "declined"),
    ("deferred", gettext_lazy("Deferred"), "", "deferred"),
    ("withdrawn", gettext_lazy("Withdrawn"), "", "withdrawn"),
    ("duplicate", gettext_lazy("Duplicate"), "", "duplicate"),
    ("still_open", gettext_lazy("Still open"), "", "still_open"),
    ("carried_over", gettext_lazy("Carried over"), "", "carried_over"),
    ("capacity", gettext_lazy("Capacity"), gettext_lazy(" pts"), None),
    ("planned_effort", gettext_lazy("Planned effort"), gettext_lazy(" pts"), "planned_effort"),
    ("utilization_pct", gettext_lazy("Utilization"), "%", None),
    (
        "delivered_effort",
        gettext_lazy("Delivered effort"),
        gettext_lazy(" pts"),
        "delivered_effort",
    ),
    ("products_created", gettext_lazy("Products created"), "", None),
    ("products_extended", gettext_lazy("Products extended"), "", None),
    ("demanded", gettext_lazy("Needed by 2+ teams"), "", "demanded"),
    (
        "unmet_demand",
        gettext_lazy("Unmet demand (declined or deferred, 2+ teams)"),
        "",
        "unmet_demand",
    ),
)


def headline_rows(
    cycle_slug: str, live: dict[str, Any], frozen: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """The headline figures, live and (when a snapshot exists) frozen, each with its link."""
    return [
        {
            "key": key,
            "label": label,
            "unit": unit,
            "live": live.get(key),
            "frozen": frozen.get(key) if frozen else None,
            "url": review_link(cycle_slug, metric) if metric else None,
        }
        for key, label, unit, metric in HEADLINES
    ]


DOMAIN_LINKED = (
    "filed",
    "early",
    "late",
    "overdue_triage",
    "accepted",
    "delivered",
    "declined",
    "deferred",
    "withdrawn",
    "duplicate",
    "still_open",
    "carried_over",
    "planned_effort",
    "delivered_effort",
)


def page_tables(review: dict[str, Any]) -> dict[str, Any]:
    """The review's tables with a link on each number (domains, dependency cells, teams)."""
    slug = review["cycle"]["slug"]
    producing = review["dependencies"]["producing"]
    return {
        "domains": [
            {
                **d,
                "links": {m: review_link(slug, m, target_domain=d["slug"]) for m in DOMAIN_LINKED},
            }
            for d in review["domains"]
        ],
        "matrix_rows": [
            {
                "domain": requesting,
                "cells": [
                    {
                        "count": n,
                        "producing": p,
                        # Requests filed without a requesting team have no filter to link to.
                        "url": review_link(
                            slug,
                            "filed",
                            target_domain=p["slug"],
                            requesting_domain=requesting["slug"],
                        )
                        if n and requesting["slug"]
                        else None,
                    }
                    for p, n in zip(producing, counts, strict=True)
                ],
            }
            for requesting, counts in zip(
                review["dependencies"]["requesting"], review["dependencies"]["counts"], strict=True
            )
        ],
        "teams": [
            {
                **t,
                "url": review_link(slug, "filed", requesting_domain=t["slug"]),
                "early_url": review_link(slug, "early", requesting_domain=t["slug"]),
            }
            for t in review["teams"]
        ],
    }
