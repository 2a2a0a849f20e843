"""The review as CSV: one row per metric and scope (the whole cycle, then each domain)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

HEADER = ["cycle", "scope", "domain", "domain_name", "metric", "value"]
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


def review_rows(review: dict[str, Any]) -> Iterator[list[str]]:
    """Rows (header first) of the review: overall figures, then each domain's, then each
    requesting team's early-filing rate."""
    cycle = review["cycle"]["slug"]
    yield HEADER
    for metric, value in _flatten(review["overall"]):
        yield [cycle, "overall", "", "", metric, _cell(value)]
    for domain in review["domains"]:
        for metric, value in _flatten(domain):
            yield [
                cycle,
                "domain",
                domain["slug"] or "",
                _cell(domain["name"]),
                metric,
                _cell(value),
            ]
    for team in review["teams"]:
        for metric in ("filed", "early", "early_pct", "mean_lead_time_days"):
            yield [
                cycle,
                "requesting_team",
                team["slug"],
                _cell(team["name"]),
                metric,
                _cell(team[metric]),
            ]


def review_csv(review: dict[str, Any]) -> str:
    """The whole CSV document."""
    out = io.StringIO()
    csv.writer(out).writerows(review_rows(review))
    return out.getvalue()
