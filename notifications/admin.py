"""Admin for the outbox: see what was sent, what failed and why, retry a selection."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications import services
from notifications.models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "recipient",
        "domain",
        "channel",
        "status",
        "attempts",
        "error",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "channel", "kind", "digest"]
    search_fields = ["recipient__username", "dedupe_key", "message"]
    list_select_related = ["recipient", "domain"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["retry_selected"]

    @admin.display(description=_("Last error"), ordering="last_error")
    def error(self, obj: Notification) -> str:
        """Why the last attempt failed (shortened; the full text is on the row's page)."""
        return Truncator(obj.last_error).chars(120)

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Retry the selected failed notifications"))
    def retry_selected(self, request, queryset):
        count = services.retry_failed(queryset.values_list("pk", flat=True))
        messages.success(
            request,
            ngettext(
                "%(count)s notification queued again.",
                "%(count)s notifications queued again.",
                count,
            )
            % {"count": count},
        )


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "channel", "enabled", "digest"]
    list_filter = ["kind", "channel", "digest"]
    list_select_related = ["user"]
