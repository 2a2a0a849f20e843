"""Roadmap cycles and each domain's plan for one."""

from __future__ import annotations

import re

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from products.models import Domain

QUARTER_NAME = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)


def quarter_label(name: str) -> str:
    """A cycle named like a quarter (``2027-Q1``) written the reader's way (French: ``T1 2027``);
    any other name as it is."""
    match = QUARTER_NAME.match(name or "")
    if not match:
        return name
    return gettext("%(year)s-Q%(quarter)s") % {"year": match[1], "quarter": match[2]}


class RoadmapCycle(models.Model):
    """A planning quarter. Requests for it are "early" when submitted by its request deadline."""

    name = models.CharField(
        max_length=40, unique=True, help_text=gettext_lazy("A quarter like 2027-Q1, or any name.")
    )
    slug = models.SlugField(max_length=40, unique=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    request_deadline = models.DateField(
        help_text=gettext_lazy(
            "Last day (in the site's time zone) to ask for this cycle and count as early."
        )
    )
    review_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(request_deadline__lt=models.F("starts_on")),
                name="cycle_deadline_before_start",
            ),
            models.CheckConstraint(
                condition=models.Q(starts_on__lt=models.F("ends_on")), name="cycle_start_before_end"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("requests_app:cycle-detail", args=[self.slug])

    @property
    def label(self) -> str:
        """The name as the reader's language writes a quarter (`quarter_label`)."""
        return quarter_label(self.name)

    @property
    def days_to_deadline(self) -> int:
        """Days from today (site time zone) to the request deadline; negative once it passed."""
        return (self.request_deadline - timezone.localdate()).days

    @property
    def is_open_for_early_requests(self) -> bool:
        """A request submitted today still counts as early (the deadline day included)."""
        return self.days_to_deadline >= 0


class DomainCycleCapacity(models.Model):
    """A domain's plan for one cycle: capacity override, the board's version counter and its
    totals (kept by `board.versions.bump_board` under the board lock, so reading a board costs
    the same whatever the number of requests on it)."""

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="cycle_capacities")
    cycle = models.ForeignKey(RoadmapCycle, on_delete=models.CASCADE, related_name="capacities")
    capacity = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=gettext_lazy("Effort points for this cycle; empty uses the default."),
    )
    board_version = models.PositiveIntegerField(default=1)
    # The board's totals over all of its requests, shown or not: how many, the effort of all of
    # them (planned) and of those committed to (used). Empty: not counted yet (a row written
    # outside the board services); the board then counts them from its requests.
    board_count = models.PositiveIntegerField(null=True, blank=True, editable=False)
    board_planned = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    board_used = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    # Of them, those promised (accepted or in progress): the roadmap timeline's cell count.
    board_promised = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["domain", "cycle"], name="capacity_once_per_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.domain} in {self.cycle}"
