"""The review as one CSV, one row per figure, readable with ``csv.DictReader``.

Every row has ``cycle``, ``scope``, ``metric`` and ``value``; what the row is about is in the
other columns, filled as the scope needs and empty otherwise:

- ``overall``: the cycle's figures.
- ``domain``: a producing domain's figures (``domain``, ``domain_name``).
- ``requesting_team``: a requesting team's early filing (``domain`` is the team).
- ``dependency``: one cell of the requesting × producing matrix, zeros included (``domain`` is
  the producing domain, ``requesting_domain`` the team asking; empty when none was given);
  metric ``requests``.
- ``most_asked``: the domains most asked of, metrics ``rank`` and ``filed``.
- ``coverage``: share by default over the whole catalog: ``domains_total``,
  ``domains_publishing``, ``domains_publishing_pct`` and ``products_<status>``.
- ``not_made_it``: one row per late, declined or deferred request (``request``, ``title``,
  ``status``, ``is_late``, ``reason``, ``moved_to_cycle``, the domains); its metric is
  ``lead_time_days``. Bounded like the page's list: the ``overall`` row ``not_made_it`` has the
  full count.

One file rather than one per table: a spreadsheet filters it by ``scope``, and the columns that
only some scopes use stay empty instead of forcing a second download.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

HEADER = [
    "cycle",
    "scope",
    "domain",
    "domain_name",
    "metric",
    "value",
    "requesting_domain",
    "requesting_domain_name",
    "request",
    "title",
    "status",
    "is_late",
    "reason",
    "moved_to_cycle",
]
# Nested figures flatten to "<prefix>_<key>" metrics.
NESTED = {"outcomes": "outcome", "lead_time_buckets": "lead_time", "products_by_status": "products"}


def _flatten(figures: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for key, value in figures.items():
        if key in ("slug", "name"):
            continue
        if isinstance(value, dict):
            prefix = NESTED.get(key, key)
            for sub, n in value.items():
                yield f"{prefix}_{sub}", n
        else:
            yield key, value


def _cell(value: Any) -> str:
    """A spreadsheet-safe cell: empty for none, and text that a spreadsheet would run as a
    formula (=, +, -, @ first) is quoted with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _row(cycle: str, scope: str, metric: str, value: Any, **about: Any) -> list[str]:
    """A row in HEADER's order: the named columns of ``about`` filled, the others empty."""
    cells = {"cycle": cycle, "scope": scope, "metric": metric, "value": value, **about}
    unknown = set(cells) - set(HEADER)
    if unknown:
        raise ValueError(f"Not review CSV columns: {sorted(unknown)}")
    return [_cell(cells.get(column)) for column in HEADER]


def review_rows(review: dict[str, Any]) -> Iterator[list[str]]:
    """Rows (header first) of the review: overall figures, each producing domain's, each
    requesting team's early filing, the dependency matrix, the domains most asked of,
    share-by-default coverage, and what did not make it."""
    cycle = review["cycle"]["slug"]
    yield HEADER
    for metric, value in _flatten(review["overall"]):
        yield _row(cycle, "overall", metric, value)
    for domain in review["domains"]:
        for metric, value in _flatten(domain):
            yield _row(
                cycle, "domain", metric, value, domain=domain["slug"], domain_name=domain["name"]
            )
    for team in review["teams"]:
        for metric in ("filed", "early", "early_pct", "mean_lead_time_days"):
            yield _row(
                cycle,
                "requesting_team",
                metric,
                team[metric],
                domain=team["slug"],
                domain_name=team["name"],
            )
    matrix = review["dependencies"]
    for requesting, counts in zip(matrix["requesting"], matrix["counts"], strict=True):
        for producing, n in zip(matrix["producing"], counts, strict=True):
            yield _row(
                cycle,
                "dependency",
                "requests",
                n,
                domain=producing["slug"],
                domain_name=producing["name"],
                requesting_domain=requesting["slug"],
                requesting_domain_name=requesting["name"],
            )
    for rank, domain in enumerate(review["most_asked"], start=1):
        about = {"domain": domain["slug"], "domain_name": domain["name"]}
        yield _row(cycle, "most_asked", "rank", rank, **about)
        yield _row(cycle, "most_asked", "filed", domain["filed"], **about)
    coverage = review["products"]["coverage"]
    for metric in ("domains_total", "domains_publishing", "domains_publishing_pct"):
        yield _row(cycle, "coverage", metric, coverage[metric])
    for status, n in coverage["products_by_status"].items():
        yield _row(cycle, "coverage", f"products_{status}", n)
    for item in review["not_made_it"]:
        yield _row(
            cycle,
            "not_made_it",
            "lead_time_days",
            item["lead_time_days"],
            domain=item["target_domain"]["slug"],
            domain_name=item["target_domain"]["name"],
            requesting_domain=item["requesting_domain"]["slug"],
            requesting_domain_name=item["requesting_domain"]["name"],
            request=item["key"],
            title=item["title"],
            status=item["status"],
            is_late=item["is_late"],
            reason=item["reason"],
            moved_to_cycle=item["moved_to_cycle"],
        )


def review_csv(review: dict[str, Any]) -> str:
    """The whole CSV document."""
    out = io.StringIO()
    csv.writer(out).writerows(review_rows(review))
    return out.getvalue()
