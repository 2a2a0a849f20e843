"""Admin: staff see and revoke anyone's API tokens (never the keys) and read the role audit."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import TokenProxy

from accounts.models import ApiToken, RoleChange, ScimGroup
from accounts.services.people import person_deactivate
from accounts.services.tokens import api_token_revoke

# DRF's clear-text tokens are gone (migrated, hashed); its admin page would only confuse.
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "user",
        "prefix",
        "read_only",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("read_only", "revoked_at")
    search_fields = ("name", "user__username", "prefix")
    readonly_fields = ("user", "name", "prefix", "read_only", "created_at", "expires_at",
                       "last_used_at", "revoked_at")  # fmt: skip
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # a token is created by its owner, who alone sees the key

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        count = sum(api_token_revoke(actor=request.user, token=t) for t in queryset)
        self.message_user(request, _("%(n)d token(s) revoked.") % {"n": count}, messages.SUCCESS)


@admin.register(RoleChange)
class RoleChangeAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "action", "role", "domain", "source", "actor")
    list_filter = ("source", "action", "role")
    search_fields = ("user__username", "domain__slug")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # an audit line is never edited


@admin.register(ScimGroup)
class ScimGroupAdmin(admin.ModelAdmin):
    list_display = ("display_name", "external_id", "updated_at")
    search_fields = ("display_name",)
    readonly_fields = ("display_name", "external_id", "members")


class UpstreamUserAdmin(UserAdmin):
    """Django's user admin, plus a deactivation that also ends sessions and revokes API tokens."""

    actions = ["deactivate"]

    @admin.action(description=_("Deactivate: end their sessions and revoke their API tokens"))
    def deactivate(self, request, queryset):
        for user in queryset:
            person_deactivate(user=user)
        self.message_user(
            request, _("%(n)d person(s) deactivated.") % {"n": queryset.count()}, messages.SUCCESS
        )


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, UpstreamUserAdmin)
