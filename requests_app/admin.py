"""Admin for requests: read-mostly. Lifecycle changes go through the pages and the API (services);
cycles are saved through the cycle services so early/late facts follow their dates."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError

from core.admin import ServiceErrorsAdminMixin
from requests_app import services
from requests_app.board import services as board_services
from requests_app.models import (
    Comment,
    DataRequest,
    DomainCycleCapacity,
    RequestEvent,
    RoadmapCycle,
)


class ReadOnlyMixin:
    """Shown, never written here: the audit trail and the lifecycle have their own doors."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class EventInline(ReadOnlyMixin, admin.TabularInline):
    model = RequestEvent
    fields = ["at", "actor", "kind", "from_status", "to_status", "data"]
    readonly_fields = fields
    extra = 0


class CommentInline(ReadOnlyMixin, admin.TabularInline):
    model = Comment
    fields = ["created_at", "author", "body"]
    readonly_fields = fields
    extra = 0


@admin.register(DataRequest)
class DataRequestAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "key", "title", "status", "requester", "target_domain", "needed_by_cycle",
        "planned_cycle", "urgency", "is_late", "submitted_at",
    ]  # fmt: skip
    list_filter = [
        "status",
        "urgency",
        "is_late",
        "target_domain",
        "needed_by_cycle",
        "planned_cycle",
    ]
    search_fields = ["title", "description", "business_need", "requester__username"]
    list_select_related = ["requester", "target_domain", "needed_by_cycle", "planned_cycle"]
    date_hierarchy = "created_at"
    inlines = [EventInline, CommentInline]


@admin.register(RoadmapCycle)
class RoadmapCycleAdmin(ServiceErrorsAdminMixin, admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on", "request_deadline", "review_on"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def save_model(self, request, obj, form, change) -> None:
        # The form already ran `services.cycle_validate` (see get_form), so the service won't refuse.
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        if change:
            services.cycle_update(cycle=obj, actor=request.user, **fields)
        else:
            created = services.cycle_create(actor=request.user, **form.cleaned_data)
            obj.pk = created.pk

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class CycleForm(form):
            def _post_clean(self):
                super()._post_clean()
                try:
                    services.cycle_validate(self.instance)
                except ValidationError as exc:
                    self._update_errors(exc)

        return CycleForm


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Moderation: read and delete comments; they are written on the request page."""

    list_display = ["request", "author", "created_at"]
    search_fields = ["body", "author__username"]
    readonly_fields = ["request", "author", "body", "created_at"]
    list_select_related = ["request", "author"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RequestEvent)
class RequestEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["request", "kind", "actor", "from_status", "to_status", "at"]
    list_filter = ["kind"]
    list_select_related = ["request", "actor"]


@admin.register(DomainCycleCapacity)
class DomainCycleCapacityAdmin(ServiceErrorsAdminMixin, admin.ModelAdmin):
    """Capacity per domain and cycle, set through the board service (its range rule, and the
    board version its clients hold goes stale); the version counter is read-only."""

    list_display = ["domain", "cycle", "capacity", "board_version"]
    list_select_related = ["domain", "cycle"]

    def get_readonly_fields(self, request, obj=None):
        return ["domain", "cycle", "board_version"] if obj else ["board_version"]

    def save_model(self, request, obj, form, change) -> None:
        board_services.capacity_set(
            domain=obj.domain, cycle=obj.cycle, capacity=obj.capacity, actor=request.user
        )
        saved = DomainCycleCapacity.objects.get(domain=obj.domain, cycle=obj.cycle)
        obj.pk, obj._state.adding = saved.pk, False
