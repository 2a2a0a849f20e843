"""What hangs off a request: its history, discussion, work items and endorsements, and the
saved views that list requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from products.models import Domain

from .cycles import RoadmapCycle
from .requests import DataRequest


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
