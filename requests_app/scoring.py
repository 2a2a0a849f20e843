"""RICE scoring, pure functions (no ORM).

score = reach × impact × (confidence / 100) ÷ effort

- reach: people or teams affected per cycle (a whole number ≥ 0),
- impact: 0.25 (minimal), 0.5 (low), 1 (medium), 2 (high), 3 (massive),
- confidence: percent, 0–100,
- effort: points (≥ 1).
The score suggests an order; the lead's rank decides it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from requests_app.services.rules import MAX_EFFORT, MAX_REACH

FORMULA = "score = reach × impact × confidence% ÷ effort"
IMPACT_CHOICES = (Decimal("0.25"), Decimal("0.5"), Decimal("1"), Decimal("2"), Decimal("3"))


def rice_score(*, reach, impact, confidence, effort) -> float | None:
    """The RICE score, or None while an input is missing."""
    if None in (reach, impact, confidence, effort) or not effort:
        return None
    return round(float(reach) * float(impact) * (float(confidence) / 100.0) / float(effort), 3)


def validate_inputs(*, reach=None, impact=None, confidence=None, effort=None) -> None:
    errors = {}
    if reach is not None and (int(reach) < 0 or int(reach) > MAX_REACH):
        errors["reach"] = gettext("Reach is a count of people or teams, 0 to %(max_reach)s.") % {
            "max_reach": format(MAX_REACH, ",")
        }
    if impact is not None:
        try:
            value = Decimal(str(impact))
        except InvalidOperation:
            value = None
        if value not in IMPACT_CHOICES:
            errors["impact"] = gettext("Impact is one of 0.25, 0.5, 1, 2, 3.")
    if confidence is not None and not 0 <= int(confidence) <= 100:
        errors["confidence"] = gettext("Confidence is a percent, 0 to 100.")
    if effort is not None and not 1 <= int(effort) <= MAX_EFFORT:
        errors["effort"] = gettext("Effort is in points, 1 to %(max_effort)s.") % {
            "max_effort": format(MAX_EFFORT, ",")
        }
    if errors:
        raise ValidationError(errors)


def above_capacity(effort_so_far: int, capacity: int) -> bool:
    """The cut line: a request is above capacity when the effort of it and of everything ranked
    before it exceeds the capacity. Efforts are never negative, so the running total only grows:
    once one request is above the line, every one after it is too. No estimate counts as 0."""
    return effort_so_far > capacity


def cut_line(efforts: list[int | None], capacity: int) -> list[bool]:
    """`above_capacity` for requests in rank order, given their efforts."""
    result, used = [], 0
    for effort in efforts:
        used += effort or 0
        result.append(above_capacity(used, capacity))
    return result
