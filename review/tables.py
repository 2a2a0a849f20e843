"""The review's tables beside its figures: the dependency matrix, the products created or
extended, and the requests that did not make it (one query each)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connections
from django.db.models import (
    Count,
    F,
    Min,
    Q,
)
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import translation

from products.models import DataProduct, Domain
from requests_app.board import selectors as board_selectors
from requests_app.models import DataRequest, RoadmapCycle
from review.aggregates import ItemGroup
from review.figures import (
    LIVE_PRODUCT_STATUSES,
    MIN_DEMANDED,
    NOT_MADE_IT,
    domain_ref,
    percent,
)

S = DataRequest.Status


# The "what did not make it" list is bounded; the page links to the full filtered list.
LIST_LIMIT = 500


# The key of the whole cycle beside the per-domain keys (domain ids, or None for no domain).
ALL = "all"


def plain_rows(queryset) -> list[tuple]:
    """The rows of ``queryset`` as the database driver gives them. For rows of ids, counts and
    integer sums only: those need none of Django's per-value converters, which would otherwise
    run once per figure per row (a third of the Python time of a review)."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def domain_name(catalog: dict[str, Any], domain_id: Any) -> str:
    ref = catalog["domains"].get(domain_id)
    return ref["name"] if ref else ""


def domain_catalog(cycle: RoadmapCycle) -> dict[str, Any]:
    """Every domain, in name order, with its capacity for ``cycle`` (the override, else its
    default) and its data products by status; and share-by-default coverage over them. One
    query: the review's other queries carry domain ids only."""
    statuses = DataProduct.Status.values
    # Counted over the join domain → products → their confirmed consumers (other domains): each
    # consumer row joins once, through its product, so counting them is exact, and a product
    # repeats once per consumer, so products are counted distinct. (A subquery per domain here
    # would be evaluated per joined row, being part of the grouping: 250 ms for 1,500 products.)
    rows = (
        Domain.objects.order_by("name")
        .values("pk", "slug", "name")
        .annotate(
            capacity=board_selectors.capacity_expression(cycle),
            consumers=Count("data_products__consumers"),
            **{
                f"products_{s}": Count(
                    "data_products", filter=Q(data_products__status=s), distinct=True
                )
                for s in statuses
            },
        )
    )
    domains: dict[Any, dict[str, Any]] = {}
    by_status: dict[str, int] = dict.fromkeys(statuses, 0)
    publishing = consumed_total = domains_consumed = 0
    for row in rows:
        consumed_total += row["consumers"] or 0
        domains_consumed += bool(row["consumers"])
        counts = {s: row[f"products_{s}"] for s in statuses}
        for s, n in counts.items():
            by_status[s] += n
        publishing += any(counts[s] for s in LIVE_PRODUCT_STATUSES)
        domains[row["pk"]] = {
            "slug": row["slug"],
            "name": row["name"],
            "capacity": row["capacity"],
            "products_by_status": counts,
        }
    return {
        "domains": domains,
        "coverage": {
            "domains_total": len(domains),
            "domains_publishing": publishing,
            "domains_publishing_pct": percent(publishing, len(domains)),
            "products_by_status": by_status,
            # Share by default grows consumers: confirmed consumers of the catalog's products.
            "consumers_total": consumed_total,
            "domains_consumed": domains_consumed,
        },
    }


def _ref(catalog: dict[str, Any], domain_id: Any) -> dict[str, str | None]:
    ref = catalog["domains"].get(domain_id)
    return domain_ref(ref and ref["slug"], ref and ref["name"])


def dependency_matrix(
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
        team["early_pct"] = percent(team["early"], team["filed"])
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


# The cycle's requests that delivered a data product (the products table counts them).
DELIVERED_PRODUCT = Q(status=S.DELIVERED, delivered_product__isnull=False)


def product_table(
    in_cycle, catalog: dict[str, Any], delivered: list[ItemGroup] | None = None
) -> tuple[dict[str, Any], dict[Any, tuple[int, int]]]:
    """Data products the cycle's delivered requests created or extended: the list (bounded),
    and (delivered, created) per producing domain and for the cycle (key ``ALL``); with the
    catalog's share-by-default coverage.

    From the (producing domain, product) groups of the `DELIVERED_PRODUCT` requests: a product
    counts once per domain and once overall; it was *created* for a group when it was registered
    after the group's first request was submitted, so created for the cycle when created for any
    of its groups. ``delivered``: those groups when the caller's pass counted them (then one
    query reads the products they name); otherwise one grouped query here reads both."""
    rows = _product_groups(in_cycle) if delivered is None else _named_products(delivered)
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
            "domain": domain_ref(slug, domain_name),
            "requests": requests,
            "created": created,
        }
    result = {target: (n, created) for target, (n, created) in counts.items()}
    result[ALL] = (len(listed), sum(p["created"] for p in listed.values()))
    products = {"delivered": list(listed.values())[:LIST_LIMIT], "coverage": catalog["coverage"]}
    return products, result


# Products in the order the table lists them: by their domain's name, then their own.
PRODUCT_ORDER = ("delivered_product__domain__name", "delivered_product__name", "delivered_product")


def _product_groups(in_cycle) -> Iterable[tuple]:
    """(producing domain, product id, name, status, domain slug, domain name, requests,
    created) per group, in `PRODUCT_ORDER`: one grouped query."""
    return (
        in_cycle.filter(DELIVERED_PRODUCT)
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
        .order_by(*PRODUCT_ORDER)
    )


def _named_products(delivered: list[ItemGroup]) -> Iterable[tuple]:
    """The rows of `_product_groups` from groups already counted (``first``: the group's first
    submission): one query for the products they name, none when there are none."""
    by_product: dict[Any, list[ItemGroup]] = defaultdict(list)
    for group in delivered:
        by_product[group.item].append(group)
    if not by_product:
        return
    products = (
        DataProduct.objects.filter(pk__in=list(by_product))
        .values_list("pk", "name", "status", "domain__slug", "domain__name", "created_at")
        .order_by(*(field.removeprefix("delivered_product__") for field in PRODUCT_ORDER[:2]), "pk")
    )
    for pk, name, status, slug, domain_name, created_at in products:
        for group in by_product[pk]:
            created = created_at >= group.first
            yield group.group, pk, name, status, slug, domain_name, group.rows, created


def not_made_it_table(
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
        "planned_cycle__name",
    ).order_by("target_domain__name", "status", "pk")[:LIST_LIMIT]
    return [
        {
            "id": row["pk"],
            "key": f"DR-{row['pk']}",
            "title": row["title"],
            "status": row["status"],
            # Stored and cached for every reader: the label in the source language (English);
            # the page translates the status code itself.
            "status_label": _source_label(row["status"]),
            "is_late": row["is_late"],
            "lead_time_days": row["lead_time_days"],
            "reason": row["decision_reason"],
            "requesting_domain": _ref(catalog, row["requesting_domain"]),
            "target_domain": _ref(catalog, row["target_domain"]),
            "moved_to_cycle": row["planned_cycle__slug"] if row["status"] == S.DEFERRED else None,
            "moved_to_cycle_name": (
                row["planned_cycle__name"] if row["status"] == S.DEFERRED else None
            ),
        }
        for row in rows
    ]


MOST_DEMANDED_LIMIT = 10


def most_demanded_table(in_cycle, catalog: dict[str, Any], demanded: int) -> list[dict[str, Any]]:
    """The cycle's requests that most teams need (demand ≥ 2), most demanded first (bounded;
    the page links to the full list). No query when ``demanded`` (their count) is 0."""
    if not demanded:
        return []
    rows = (
        in_cycle.filter(demand__gte=MIN_DEMANDED)
        .values("pk", "title", "status", "demand", "endorsement_count", "target_domain")
        .order_by("-demand", "-endorsement_count", "pk")[:MOST_DEMANDED_LIMIT]
    )
    return [
        {
            "id": row["pk"],
            "key": f"DR-{row['pk']}",
            "title": row["title"],
            "status": row["status"],
            # Stored and cached for every reader: the label in the source language (English);
            # the page translates the status code itself.
            "status_label": _source_label(row["status"]),
            "demand": row["demand"],
            "endorsement_count": row["endorsement_count"],
            "target_domain": _ref(catalog, row["target_domain"]),
        }
        for row in rows
    ]


def _source_label(status: str) -> str:
    """A status label as a plain string in the source language (JSON-safe, reader-neutral)."""
    with translation.override(None):
        return str(S(status).label)
