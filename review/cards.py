"""The review's headline cards: six figures people look at first, each with its change against the
previous cycle ("+3 vs 2027-Q1"), and whether that change is good news."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from requests_app.models import RoadmapCycle

# key, label, unit, whether a rise is good news (None: neither), the review link's metric
CARDS: tuple[tuple[str, Any, str, bool | None, str | None], ...] = (
    ("filed", _("Requests filed"), "", None, "filed"),
    ("early_pct", _("Filed early"), "%", True, "early"),
    ("accepted", _("Accepted"), "", True, "accepted"),
    ("delivered", _("Delivered"), "", True, "delivered"),
    ("utilization_pct", _("Capacity used"), "%", None, None),
    ("median_lead_time_days", _("Median lead time"), " d", True, None),
)


def previous_cycle(cycle: RoadmapCycle) -> RoadmapCycle | None:
    """The cycle that started last before ``cycle`` (what its figures are compared with)."""
    return RoadmapCycle.objects.filter(starts_on__lt=cycle.starts_on).order_by("-starts_on").first()


def _change(now: float | None, before: float | None) -> float | None:
    if now is None or before is None:
        return None
    change = round(now - before, 1)
    return int(change) if float(change).is_integer() else change


def headline_cards(
    overall: dict[str, Any], before: dict[str, Any] | None, links: dict[str, str]
) -> list[dict[str, Any]]:
    """One card per headline figure: value, the previous cycle's, the change and its tone."""
    cards = []
    for key, label, unit, rise_is_good, metric in CARDS:
        value = overall.get(key)
        previous = before.get(key) if before else None
        change = _change(value, previous)
        tone = "flat"
        if change and rise_is_good is not None:
            tone = "good" if (change > 0) == rise_is_good else "bad"
        cards.append(
            {
                "key": key,
                "label": label,
                "unit": unit,
                "value": value,
                "previous": previous,
                "change": change,
                "tone": tone,
                "url": links.get(metric) if metric else None,
            }
        )
    return cards
