"""The outbox (and in-app inbox) and each person's notification preferences."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from products.models import Domain
from requests_app.models import DataRequest, RoadmapCycle


class Notification(models.Model):
    """The outbox and the in-app inbox in one table: one row per recipient, event and channel."""

    class Channel(models.TextChoices):
        IN_APP = "in_app", gettext_lazy("In-app")
        EMAIL = "email", gettext_lazy("Email")
        WEBHOOK = "webhook", gettext_lazy("Webhook")

    class Kind(models.TextChoices):
        """What a notification tells; the label is how the preferences page names it."""

        SUBMITTED = "submitted", gettext_lazy("A request was submitted to your domain")
        TRIAGED = "triaged", gettext_lazy("Your request was triaged")
        ACCEPTED = "accepted", gettext_lazy("Your request was accepted")
        DECLINED = "declined", gettext_lazy("Your request was declined")
        DEFERRED = "deferred", gettext_lazy("Your request was deferred")
        DUPLICATE = "duplicate", gettext_lazy("Your request was marked a duplicate")
        DELIVERED = "delivered", gettext_lazy("Your request was delivered")
        COMMENT = "comment", gettext_lazy("A comment on a request you follow")
        MENTION = "mention", gettext_lazy("Someone mentioned you")
        TRIAGE_OVERDUE = (
            "triage_overdue",
            gettext_lazy("Requests wait for your triage past the SLA"),
        )
        DEADLINE_APPROACHING = (
            "deadline_approaching",
            gettext_lazy("A cycle's request deadline is close"),
        )
        PLANNING_DIGEST = "planning_digest", gettext_lazy("Weekly planning digest")
        REVIEW_READY = "review_ready", gettext_lazy("The quarterly review is ready")
        WORK_ITEM_DONE = "work_item_done", gettext_lazy("A linked work item is done")
        SUBSCRIPTION_PAUSED = (
            "subscription_paused",
            gettext_lazy("An event subscription was paused"),
        )
        ENDORSED = "endorsed", gettext_lazy("Another team needs a request too")
        PRODUCT_MAY_ANSWER = (
            "product_may_answer",
            gettext_lazy("A data product may answer a request"),
        )
        CONSUMER_REQUESTED = (
            "consumer_requested",
            gettext_lazy("A team asks to consume your data product"),
        )
        CONSUMER_DECIDED = (
            "consumer_decided",
            gettext_lazy("Your request to consume a product was answered"),
        )

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Pending")
        SENT = "sent", gettext_lazy("Sent")
        FAILED = "failed", gettext_lazy("Failed")
        SKIPPED = "skipped", gettext_lazy("Skipped")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
        help_text=gettext_lazy("Empty for a domain webhook."),
    )
    domain = models.ForeignKey(
        Domain, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    subscription = models.ForeignKey(
        "Subscription",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        help_text=gettext_lazy(
            "The event subscription this webhook row is for (empty: a person's row)."
        ),
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    request = models.ForeignKey(
        DataRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    cycle = models.ForeignKey(
        RoadmapCycle, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    message = models.CharField(max_length=500)
    payload = models.JSONField(default=dict, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    digest = models.CharField(
        max_length=10,
        blank=True,
        help_text=gettext_lazy("Empty: delivered now. daily/weekly: waits for that email digest."),
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text=gettext_lazy(
            "A worker's lease: it is sending this row, and no other worker takes it before then. Cleared with the outcome; a lease left by a dead worker runs out and the sweep sends the row again."
        ),
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "requests_app_notification"  # moved from requests_app; the table stays
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The inbox: a user's in-app notifications, newest first.
            models.Index(fields=["recipient", "channel", "-created_at"], name="notif_inbox_idx"),
            # The sweep looks for rows still pending whose next attempt is due; digests by mode.
            models.Index(
                fields=["digest", "next_attempt_at"],
                name="notif_pending_idx",
                condition=models.Q(status="pending"),
            ),
            # The unread badge counts a user's unread in-app rows on every page.
            models.Index(
                fields=["recipient"],
                name="notif_unread_idx",
                condition=models.Q(read_at__isnull=True, channel="in_app"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient or self.domain} ({self.channel}, {self.status})"


class NotificationPreference(models.Model):
    """A user's choice for one event kind on one channel: on/off and, for email, digest mode."""

    class Digest(models.TextChoices):
        IMMEDIATE = "immediate", gettext_lazy("Immediately")
        DAILY = "daily", gettext_lazy("Daily digest")
        WEEKLY = "weekly", gettext_lazy("Weekly digest")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=32, choices=Notification.Kind.choices)
    channel = models.CharField(max_length=8, choices=Notification.Channel.choices)
    enabled = models.BooleanField(default=True)
    digest = models.CharField(max_length=10, choices=Digest.choices, default=Digest.IMMEDIATE)

    class Meta:
        db_table = "requests_app_notificationpreference"  # moved from requests_app
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "channel"], name="preference_once_per_kind_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind}/{self.channel}"


class Subscription(models.Model):
    """An outbound event subscription: a URL that hears the chosen event kinds in one format,
    signed with its own secret (stored encrypted), optionally only for one domain."""

    class Format(models.TextChoices):
        JSON = "json", _("JSON (versioned envelope)")
        SLACK = "slack", _("Slack (Block Kit)")
        TEAMS = "teams", _("Microsoft Teams (Adaptive Card)")

    class Event(models.TextChoices):
        """Every kind DESIGN's notification table lists, as a subscription names it."""

        SUBMITTED = "submitted", _("Request submitted")
        ENDORSED = "endorsed", _("Request endorsed")
        TRIAGED = "triaged", _("Decision: triaged")
        ACCEPTED = "accepted", _("Decision: accepted")
        DECLINED = "declined", _("Decision: declined")
        DEFERRED = "deferred", _("Decision: deferred")
        DUPLICATE = "duplicate", _("Decision: marked a duplicate")
        DELIVERED = "delivered", _("Decision: delivered")
        COMMENTED = "commented", _("Comment")
        TRIAGE_OVERDUE = "triage_overdue", _("Triage overdue")
        DEADLINE_APPROACHING = "deadline_approaching", _("Cycle deadline approaching")
        REVIEW_READY = "review_ready", _("Quarterly review ready")
        WORK_ITEM_DONE = "work_item_done", _("Work item done")

    domain = models.ForeignKey(
        Domain,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
        help_text=gettext_lazy("Only this domain's events; empty: every domain (staff only)."),
    )
    url = models.URLField(max_length=500)
    format = models.CharField(max_length=8, choices=Format.choices, default=Format.JSON)
    events = models.JSONField(default=list, help_text=gettext_lazy("Event kinds this URL hears."))
    secret_encrypted = models.TextField(
        help_text=gettext_lazy("The signing secret, encrypted (Fernet).")
    )
    active = models.BooleanField(default=True)
    paused_reason = models.CharField(max_length=300, blank=True)
    failing_since = models.DateTimeField(
        null=True,
        blank=True,
        help_text=gettext_lazy("First failure since the last success; a day → paused."),
    )
    last_error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["domain__name", "pk"]
        indexes = [
            # Every event looks up the active subscriptions of its domain (and the global ones).
            models.Index(
                fields=["domain"], name="subscription_active_idx", condition=models.Q(active=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_format_display()} → {self.url} ({self.domain or 'all domains'})"
