"""The data request itself."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy

from products.models import DataProduct, Domain

from .cycles import RoadmapCycle


class DataRequest(models.Model):
    """A product team's need for data from a producing domain, from draft to delivery."""

    class Status(models.TextChoices):
        DRAFT = "draft", gettext_lazy("Draft")
        SUBMITTED = "submitted", gettext_lazy("Submitted")
        TRIAGED = "triaged", gettext_lazy("Triaged")
        ACCEPTED = "accepted", gettext_lazy("Accepted")
        IN_PROGRESS = "in_progress", gettext_lazy("In progress")
        DELIVERED = "delivered", gettext_lazy("Delivered")
        DECLINED = "declined", gettext_lazy("Declined")
        DEFERRED = "deferred", gettext_lazy("Deferred")
        DUPLICATE = "duplicate", gettext_lazy("Duplicate")
        WITHDRAWN = "withdrawn", gettext_lazy("Withdrawn")

    class Urgency(models.TextChoices):
        LOW = "low", gettext_lazy("Low")
        MEDIUM = "medium", gettext_lazy("Medium")
        HIGH = "high", gettext_lazy("High")
        CRITICAL = "critical", gettext_lazy("Critical")

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text=gettext_lazy("What you need (Markdown)."))
    business_need = models.TextField(
        blank=True, help_text=gettext_lazy("Why: the decision or feature it enables.")
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="data_requests"
    )
    requesting_domain = models.ForeignKey(
        Domain, on_delete=models.PROTECT, related_name="outgoing_requests", null=True, blank=True
    )
    target_domain = models.ForeignKey(
        Domain, on_delete=models.PROTECT, related_name="incoming_requests", null=True, blank=True
    )
    data_product = models.ForeignKey(
        DataProduct, on_delete=models.SET_NULL, null=True, blank=True, related_name="requests"
    )
    proposed_product_name = models.CharField(max_length=150, blank=True)
    needed_by_cycle = models.ForeignKey(
        RoadmapCycle,
        on_delete=models.PROTECT,
        related_name="needed_requests",
        null=True,
        blank=True,
    )
    urgency = models.CharField(max_length=8, choices=Urgency.choices, default=Urgency.MEDIUM)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    planned_cycle = models.ForeignKey(
        RoadmapCycle,
        on_delete=models.PROTECT,
        related_name="planned_requests",
        null=True,
        blank=True,
    )
    # Prioritization inputs (RICE) and the lead's decision on order.
    effort = models.PositiveIntegerField(
        null=True, blank=True, help_text=gettext_lazy("Effort points.")
    )
    reach = models.PositiveIntegerField(null=True, blank=True)
    impact = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    confidence = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=gettext_lazy("Percent.")
    )
    score = models.FloatField(null=True, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    delivered_product = models.ForeignKey(
        DataProduct, on_delete=models.SET_NULL, null=True, blank=True, related_name="delivered_by"
    )
    watchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="watched_requests", blank=True
    )
    # Stored at submit time so lists filter and sort on them with an index, not a Python loop.
    is_late = models.BooleanField(null=True, blank=True)
    lead_time_days = models.IntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # Demand, kept by the endorsement services in the transaction that changes it, so every list,
    # board and inbox shows and sorts on it without a query per row (see services/demand.py).
    demand = models.PositiveIntegerField(
        default=1,
        help_text=gettext_lazy("Distinct requesting domains: the requester's and the endorsers'."),
    )
    endorsement_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-id"]
        indexes = [
            # The producer's incoming list: by domain and status, newest first.
            models.Index(fields=["target_domain", "status", "-id"], name="req_target_status_idx"),
            # The board: a domain's requests planned for a cycle, in rank order.
            models.Index(fields=["target_domain", "planned_cycle", "rank"], name="req_board_idx"),
            # The review aggregates a cycle's requests.
            models.Index(fields=["needed_by_cycle", "status"], name="req_needed_cycle_idx"),
            # The review's "what did not make it" list: a cycle's late, declined and deferred
            # requests of the few producing domains its bounded list reaches, without reading
            # the rest of those domains' requests (partial: only those rows are indexed).
            models.Index(
                fields=["needed_by_cycle", "target_domain"],
                condition=models.Q(submitted_at__isnull=False)
                & (models.Q(is_late=True) | models.Q(status__in=["declined", "deferred"])),
                name="req_not_made_it_idx",
            ),
            models.Index(fields=["requester", "status"], name="req_requester_idx"),
            models.Index(fields=["status", "submitted_at"], name="req_status_submitted_idx"),
            # The triage inbox reads its first rows in page order and stops (age or demand).
            models.Index(
                fields=["target_domain", "status", "submitted_at", "id"], name="req_triage_age_idx"
            ),
            models.Index(
                fields=["target_domain", "status", "-demand", "submitted_at", "id"],
                name="req_triage_demand_idx",
            ),
            # The triage page's deferred list: each cycle's first deferrals, read per cycle.
            models.Index(
                fields=["target_domain", "planned_cycle", "decided_at", "id"],
                condition=models.Q(status="deferred"),
                name="req_deferred_idx",
            ),
            # "My requests", newest first, for someone with many or none.
            models.Index(fields=["requester", "-id"], name="req_requester_id_idx"),
            # Sorting by score or urgency and searching use PostgreSQL-only indexes (migration 0013).
            # The review's links: a cycle's late requests, newest first.
            models.Index(fields=["needed_by_cycle", "is_late", "-id"], name="req_cycle_late_idx"),
            # The roadmap timeline: a cell's (cycle, producing domain) promises in rank order, so
            # it reads only the first few of each; its counts and the requesting-team filter are
            # answered from the index alone. Partial: only promised requests (lifecycle's
            # PROMISED_STATES) are indexed.
            models.Index(
                fields=["planned_cycle", "target_domain", "rank", "id", "requesting_domain"],
                condition=models.Q(status__in=["accepted", "in_progress"]),
                name="req_promised_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("requests_app:request-detail", args=[self.pk])

    @property
    def key(self) -> str:
        return f"DR-{self.pk}" if self.pk else "DR-new"
