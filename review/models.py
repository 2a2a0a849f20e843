"""Frozen quarterly reviews."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from requests_app.models import RoadmapCycle


class ReviewSnapshot(models.Model):
    """A frozen quarterly review for a cycle, computed by a Celery task."""

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Pending")
        RUNNING = "running", gettext_lazy("Running")
        DONE = "done", gettext_lazy("Done")
        FAILED = "failed", gettext_lazy("Failed")

    cycle = models.ForeignKey(RoadmapCycle, on_delete=models.CASCADE, related_name="snapshots")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0, help_text=gettext_lazy("Percent done."))
    data = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "requests_app_reviewsnapshot"  # moved from requests_app; the table stays
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Review of {self.cycle} ({self.status})"
