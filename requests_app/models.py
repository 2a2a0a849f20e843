"""Roadmap cycles, data requests and everything that hangs off them."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from products.models import DataProduct, Domain

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

    name = models.CharField(max_length=40, unique=True, help_text="e.g. 2027-Q1")
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
            # "My requests", newest first, for someone with many or none.
            models.Index(fields=["requester", "-id"], name="req_requester_id_idx"),
            # Sorting by score or urgency and searching use PostgreSQL-only indexes (migration 0013).
            # The review's links: a cycle's late requests, newest first.
            models.Index(fields=["needed_by_cycle", "is_late", "-id"], name="req_cycle_late_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("requests_app:request-detail", args=[self.pk])

    @property
    def key(self) -> str:
        return f"DR-{self.pk}" if self.pk else "DR-new"


class EventKind(models.TextChoices):
    """What happened to a request: the lifecycle's actions (one vocabulary with
    `lifecycle.ACTIONS`) and the other recorded changes."""

    CREATED = "created", gettext_lazy("Created")
    EDITED = "edited", gettext_lazy("Edited")
    SUBMIT = "submit", gettext_lazy("Submitted")
    TRIAGE = "triage", gettext_lazy("Triaged")
    ACCEPT = "accept", gettext_lazy("Accepted")
    DECLINE = "decline", gettext_lazy("Declined")
    DEFER = "defer", gettext_lazy("Deferred")
    MARK_DUPLICATE = "mark_duplicate", gettext_lazy("Marked a duplicate")
    START = "start", gettext_lazy("Started")
    DELIVER = "deliver", gettext_lazy("Delivered")
    WITHDRAW = "withdraw", gettext_lazy("Withdrawn")
    REOPEN = "reopen", gettext_lazy("Reopened")
    SCORED = "scored", gettext_lazy("Scored")
    RANKED = "ranked", gettext_lazy("Ranked")
    PLANNED = "planned", gettext_lazy("Planned")
    COMMENTED = "commented", gettext_lazy("Commented")
    COMMENT_EDITED = "comment_edited", gettext_lazy("Edited a comment")
    COMMENT_DELETED = "comment_deleted", gettext_lazy("Deleted a comment")
    WATCHED = "watched", gettext_lazy("Started watching")
    UNWATCHED = "unwatched", gettext_lazy("Stopped watching")
    LINKED = "linked", gettext_lazy("Linked a work item")
    UNLINKED = "unlinked", gettext_lazy("Unlinked a work item")
    WORK_ITEM_DONE = "work_item_done", gettext_lazy("Work item done")
    ENDORSED = "endorsed", gettext_lazy("Endorsed")
    ENDORSEMENT_WITHDRAWN = "endorsement_withdrawn", gettext_lazy("Endorsement withdrawn")
    PRODUCT_SUGGESTED = "product_suggested", gettext_lazy("A data product may answer it")
    SUGGESTION_DISMISSED = "suggestion_dismissed", gettext_lazy("Not quite what is needed")


class RequestEvent(models.Model):
    """Append-only audit trail of a request: who did what, from which status to which."""

    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    Kind = EventKind

    kind = models.CharField(max_length=24, choices=EventKind.choices)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["request", "at"], name="event_request_at_idx")]

    def __str__(self) -> str:
        return f"{self.kind} on DR-{self.request_id}"


class Comment(models.Model):
    """Discussion on a request (Markdown, sanitized on render); @mentions notify people."""

    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    body = models.TextField()
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="mentioned_in", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)  # the audit event keeps the old body

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["request", "created_at"], name="comment_request_idx")]

    def __str__(self) -> str:
        return f"Comment by {self.author} on DR-{self.request_id}"


class WorkItemLink(models.Model):
    """An issue in Jira, Linear or GitHub that carries a request's delivery; trackers' signed
    webhooks keep its state (unknown until a tracker tells)."""

    class Kind(models.TextChoices):
        JIRA = "jira", gettext_lazy("Jira")
        LINEAR = "linear", gettext_lazy("Linear")
        GITHUB = "github", gettext_lazy("GitHub")
        OTHER = "other", gettext_lazy("Other")

    class State(models.TextChoices):
        UNKNOWN = "unknown", gettext_lazy("Unknown")
        OPEN = "open", gettext_lazy("Open")
        IN_PROGRESS = "in_progress", gettext_lazy("In progress")
        DONE = "done", gettext_lazy("Done")

    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(max_length=500)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    external_key = models.CharField(
        max_length=200,
        help_text=gettext_lazy("How the tracker names the issue: owner/repo#12, DATA-7, ENG-3."),
    )
    state = models.CharField(max_length=12, choices=State.choices, default=State.UNKNOWN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "external_key"], name="workitem_once_per_request"
            )
        ]
        indexes = [
            # An inbound tracker webhook finds the links of the issue it names.
            models.Index(fields=["kind", "external_key"], name="workitem_lookup_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.external_key} → DR-{self.request_id}"


class DomainCycleCapacity(models.Model):
    """A domain's plan for one cycle: capacity override and the board's version counter."""

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="cycle_capacities")
    cycle = models.ForeignKey(RoadmapCycle, on_delete=models.CASCADE, related_name="capacities")
    capacity = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=gettext_lazy("Effort points for this cycle; empty uses the default."),
    )
    board_version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["domain", "cycle"], name="capacity_once_per_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.domain} in {self.cycle}"


class Endorsement(models.Model):
    """ "We need this too": another team's need for an open request; one per user per request."""

    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="endorsements")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="endorsements"
    )
    requesting_domain = models.ForeignKey(
        Domain, on_delete=models.PROTECT, related_name="endorsements"
    )
    business_need = models.TextField()
    urgency = models.CharField(
        max_length=8, choices=DataRequest.Urgency.choices, default=DataRequest.Urgency.MEDIUM
    )
    needed_by_cycle = models.ForeignKey(
        RoadmapCycle, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set when `mark_duplicate` carried a duplicate's requester or endorser over to this request.
    carried_from = models.ForeignKey(
        DataRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # One per person per request; concurrent endorsements by one person: one wins.
            models.UniqueConstraint(fields=["request", "user"], name="endorsement_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.requesting_domain} needs DR-{self.request_id} too"


class SavedView(models.Model):
    """A named set of request-list filters; its owner sees it, and so does their domain when it
    is shared with it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    name = models.CharField(max_length=60)
    query = models.CharField(
        max_length=1000, help_text=gettext_lazy("The list's filters, as a query string.")
    )
    shared_with = models.ForeignKey(
        "products.Domain",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="saved_views",
        help_text=gettext_lazy("Everyone in this domain sees the view too."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_view_name_per_owner")
        ]

    def __str__(self) -> str:
        return self.name
