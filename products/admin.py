"""Django admin for the catalog. Every save goes through `products.services`, so governance
holds here too; the forms run the same rules first so errors show next to the field."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models

from core.admin import ServiceErrorsAdminMixin
from core.errors import DomainError
from products import services
from products.models import (
    DataProduct,
    Domain,
    OutputPort,
    ProductConsumer,
    ProductStatusChange,
    Tag,
)


def _changed(form: forms.ModelForm, names) -> dict:
    return {name: form.cleaned_data[name] for name in form.changed_data if name in names}


def _adopt(obj, saved) -> None:
    """Make the admin's in-memory ``obj`` the row the service saved (for messages and inlines)."""
    obj.pk = saved.pk
    obj._state.adding = False
    obj._state.db = saved._state.db
    obj.refresh_from_db()


class ServiceSavedAdmin(ServiceErrorsAdminMixin, admin.ModelAdmin):
    """Base: the many-to-many fields are saved by the service, not by ``form.save_m2m``."""

    service_m2m: tuple[str, ...] = ()

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


# --- domains ----------------------------------------------------------------------------------


@admin.register(Domain)
class DomainAdmin(ServiceSavedAdmin):
    list_display = ["name", "slug", "contact_email", "default_capacity"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["leads", "members"]
    readonly_fields = ["owner_ref"]  # set by catalog imports (products/interchange)
    # Webhooks are https; also keeps Django 6's new URLField default today.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        if change:
            fields = _changed(form, services.DOMAIN_STAFF_FIELDS)
            services.domain_update(domain=obj, actor=request.user, **fields)
            obj.refresh_from_db()
        else:
            data = {k: v for k, v in form.cleaned_data.items() if k != "slug"}
            saved = services.domain_create(
                actor=request.user, slug=form.cleaned_data["slug"], **data
            )
            _adopt(obj, saved)


# --- data products ----------------------------------------------------------------------------


class DataProductAdminForm(forms.ModelForm):
    """Runs the governance rules after Django's own checks, so the admin shows them inline."""

    class Meta:
        model = DataProduct
        fields = [
            "domain",
            "name",
            "slug",
            "description",
            "status",
            "classification",
            "contains_pii",
            "tags",
            "schema",
            "freshness_sla_hours",
            "availability_target",
            "support_contact",
            "sunset_on",
            "replacement",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._original_status = self.instance.status if self.instance.pk else None

    def _post_clean(self):
        super()._post_clean()
        try:
            if self._original_status and self.instance.status != self._original_status:
                moving = DataProduct(status=self._original_status, name=self.instance.name)
                services.check_status_move(moving, self.instance.status)
            services.check_product_rules(self.instance)
        except ValidationError as exc:
            self._update_errors(exc)
        except DomainError as exc:
            self.add_error("status", exc.message)


class OutputPortInline(admin.TabularInline):
    model = OutputPort
    extra = 0


class ConsumerInline(admin.TabularInline):
    model = ProductConsumer
    fk_name = "product"
    extra = 0
    autocomplete_fields = ["domain"]


class StatusHistoryInline(admin.TabularInline):
    model = ProductStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "note", "at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DataProduct)
class DataProductAdmin(ServiceSavedAdmin):
    form = DataProductAdminForm
    list_display = ["name", "domain", "status", "classification", "contains_pii", "updated_at"]
    list_filter = ["status", "classification", "contains_pii", "domain"]
    search_fields = ["name", "slug", "description"]
    list_select_related = ["domain"]
    autocomplete_fields = ["replacement"]
    filter_horizontal = ["tags"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OutputPortInline, ConsumerInline, StatusHistoryInline]

    def get_readonly_fields(self, request, obj=None):
        # A product stays in its domain (the service has no way to move it).
        # The keys of catalog imports (products/interchange) are set by imports only.
        return (
            ["domain", "external_id", "owner_ref"]
            if obj is not None
            else ["external_id", "owner_ref"]
        )

    def save_model(self, request, obj, form, change):
        data = dict(form.cleaned_data)
        tags = [t.name for t in data.pop("tags", [])]
        if change:
            fields = _changed(form, services.PRODUCT_FIELDS)
            status = data["status"] if "status" in form.changed_data else None
            services.product_update(
                product=obj,
                actor=request.user,
                status=status,
                tags=tags if "tags" in form.changed_data else None,
                **fields,
            )
            obj.refresh_from_db()
        else:
            fields = {k: v for k, v in data.items() if k in services.PRODUCT_FIELDS}
            saved = services.product_create(
                actor=request.user,
                domain=data["domain"],
                status=data["status"],
                tags=tags,
                **fields,
            )
            _adopt(obj, saved)

    def save_formset(self, request, form, formset, change):
        # The admin's change message reads these lists; the services do the saving.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is ProductStatusChange:
            return
        product = form.instance
        for deleted in formset.deleted_forms:
            if deleted.instance.pk:
                self._delete_inline(request, product, deleted.instance)
                formset.deleted_objects.append(deleted.instance)
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            is_new = inline_form.instance.pk is None
            saved = self._save_inline(request, product, inline_form)
            if is_new:
                formset.new_objects.append(saved)
            else:
                formset.changed_objects.append((saved, inline_form.changed_data))

    def _delete_inline(self, request, product, instance):
        if isinstance(instance, OutputPort):
            services.port_remove(port=instance, actor=request.user)
        else:
            services.consumer_remove(product=product, domain=instance.domain, actor=request.user)

    def _save_inline(self, request, product, inline_form):
        data = inline_form.cleaned_data
        if inline_form._meta.model is OutputPort:
            fields = {k: data[k] for k in services.PORT_FIELDS}
            if inline_form.instance.pk:
                return services.port_update(port=inline_form.instance, actor=request.user, **fields)
            return services.port_add(product=product, actor=request.user, **fields)
        old = inline_form.instance
        if old.pk:
            services.consumer_remove(
                product=product,
                domain=ProductConsumer.objects.get(pk=old.pk).domain,
                actor=request.user,
            )
        return services.consumer_add(
            product=product,
            domain=data["domain"],
            actor=request.user,
            use_case=data.get("use_case", ""),
            since=data.get("since"),
        )


@admin.register(Tag)
class TagAdmin(ServiceErrorsAdminMixin, admin.ModelAdmin):
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        saved = services.tag_save(
            actor=request.user, name=form.cleaned_data["name"], tag=obj if change else None
        )
        if not change:
            _adopt(obj, saved)


@admin.register(OutputPort)
class OutputPortAdmin(ServiceErrorsAdminMixin, admin.ModelAdmin):
    list_display = ["product", "kind", "location"]
    list_filter = ["kind"]
    search_fields = ["location", "product__name"]
    list_select_related = ["product__domain"]
    autocomplete_fields = ["product"]

    def save_model(self, request, obj, form, change):
        fields = {k: form.cleaned_data[k] for k in services.PORT_FIELDS}
        if change:
            services.port_update(port=obj, actor=request.user, **fields)
        else:
            _adopt(obj, services.port_add(product=obj.product, actor=request.user, **fields))

    def delete_model(self, request, obj):
        services.port_remove(port=obj, actor=request.user)


@admin.register(ProductConsumer)
class ProductConsumerAdmin(ServiceErrorsAdminMixin, admin.ModelAdmin):
    list_display = ["product", "domain", "since", "use_case"]
    list_select_related = ["product__domain", "domain"]
    autocomplete_fields = ["product", "domain"]

    def get_readonly_fields(self, request, obj=None):
        return ["product", "domain"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            # Only the use case and date are editable: re-register under the same pair.
            services.consumer_remove(product=obj.product, domain=obj.domain, actor=request.user)
        saved = services.consumer_add(
            product=obj.product,
            domain=obj.domain,
            actor=request.user,
            use_case=obj.use_case,
            since=obj.since,
        )
        _adopt(obj, saved)

    def delete_model(self, request, obj):
        services.consumer_remove(product=obj.product, domain=obj.domain, actor=request.user)


@admin.register(ProductStatusChange)
class ProductStatusChangeAdmin(admin.ModelAdmin):
    """Append-only: the history is written by the status service, never edited by hand."""

    list_display = ["product", "from_status", "to_status", "actor", "at"]
    list_select_related = ["product__domain", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
