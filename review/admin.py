"""Admin for frozen reviews (read-only: the review page creates them, a task fills them)."""

from __future__ import annotations

from django.contrib import admin

from review.models import ReviewSnapshot


@admin.register(ReviewSnapshot)
class ReviewSnapshotAdmin(admin.ModelAdmin):
    """Frozen reviews: created from the review page (the task fills them)."""

    list_display = ["cycle", "status", "progress", "created_by", "created_at", "finished_at"]
    list_select_related = ["cycle", "created_by"]
    readonly_fields = ["data", "error", "progress", "status", "finished_at"]

    def has_add_permission(self, request):
        return False
