"""Catalog API shapes. Read serializers format what selectors loaded; write serializers only
parse input for the services (no rule lives here)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from products import access
from products.models import (
    ConsumerRequest,
    DataProduct,
    Domain,
    OutputPort,
    ProductConsumer,
    ProductStatusChange,
)
from products.services import next_statuses

User = get_user_model()


class DomainRefSerializer(serializers.ModelSerializer):
    """A domain named inside another object."""

    class Meta:
        model = Domain
        fields = ["slug", "name"]
        read_only_fields = fields


class DomainSerializer(serializers.ModelSerializer):
    """A producing domain: who leads it, how to reach it, its capacity and live product count."""

    leads = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)
    members = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)
    product_count = serializers.IntegerField(read_only=True)
    # Optional, so it may be "": a plain string, not the schema's strict "email" format.
    contact_email = serializers.CharField(read_only=True)
    has_webhook = serializers.SerializerMethodField()
    can_edit = serializers.SerializerMethodField()

    class Meta:
        model = Domain
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "contact_email",
            "has_webhook",
            "default_capacity",
            "leads",
            "members",
            "product_count",
            "can_edit",
        ]
        read_only_fields = fields

    def get_has_webhook(self, domain: Domain) -> bool:
        return bool(domain.webhook_url)

    def get_can_edit(self, domain: Domain) -> bool:
        return access.can_edit_domain(self.context["request"].user, domain)


class DomainWriteSerializer(serializers.ModelSerializer):
    """What staff (all fields) or the domain's leads (contact fields) may send."""

    leads = serializers.SlugRelatedField(
        slug_field="username",
        many=True,
        queryset=User.objects.filter(is_active=True),
        required=False,
    )
    members = serializers.SlugRelatedField(
        slug_field="username",
        many=True,
        queryset=User.objects.filter(is_active=True),
        required=False,
    )
    slug = serializers.SlugField(max_length=60, required=False, allow_blank=True)

    class Meta:
        model = Domain
        fields = [
            "name",
            "slug",
            "description",
            "contact_email",
            "webhook_url",
            "webhook_secret",
            "default_capacity",
            "leads",
            "members",
        ]
        extra_kwargs = {"webhook_secret": {"write_only": True}, "webhook_url": {"write_only": True}}
        # Uniqueness is the service's to check (with a message that names the clash).
        validators: list = []

    def get_fields(self):
        fields = super().get_fields()
        for name in ("name",):
            fields[name].validators = [
                v for v in fields[name].validators if v.__class__.__name__ != "UniqueValidator"
            ]
        return fields


class OutputPortSerializer(serializers.ModelSerializer):
    """Where the product can be read: kind and location. Send ``id`` to keep an existing port."""

    id = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)

    class Meta:
        model = OutputPort
        fields = ["id", "kind", "location", "description"]


class ConsumerSerializer(serializers.ModelSerializer):
    """A domain that consumes the product."""

    domain = DomainRefSerializer(read_only=True)

    class Meta:
        model = ProductConsumer
        fields = ["domain", "since", "use_case"]
        read_only_fields = fields


class ConsumerWriteSerializer(serializers.Serializer):
    """Register a consuming domain (by slug)."""

    domain = serializers.SlugRelatedField(slug_field="slug", queryset=Domain.objects.all())
    use_case = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    since = serializers.DateField(required=False, allow_null=True, default=None)


class ConsumerRequestSerializer(serializers.ModelSerializer):
    """A team's ask to consume the product, and the producing domain's answer."""

    domain = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    requested_by = serializers.CharField(
        source="requested_by.username", read_only=True, allow_null=True
    )

    class Meta:
        model = ConsumerRequest
        fields = ["id", "domain", "requested_by", "use_case", "status", "reason", "created_at",
                  "decided_at"]  # fmt: skip
        read_only_fields = fields


class ConsumerRequestWriteSerializer(serializers.Serializer):
    """Ask to consume: your team (default: your only one) and what for."""

    domain = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Domain.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": gettext_lazy("No domain with slug {value}.")},
    )
    use_case = serializers.CharField(max_length=300, allow_blank=True)


class ConsumerDecisionSerializer(serializers.Serializer):
    """The producing domain's answer; a decline needs a reason."""

    confirm = serializers.BooleanField()
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ProductRefSerializer(serializers.ModelSerializer):
    """A product named inside another object."""

    domain = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = DataProduct
        fields = ["id", "domain", "slug", "name", "status"]
        read_only_fields = fields


class StatusChangeSerializer(serializers.ModelSerializer):
    """One step of the product's status history."""

    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ProductStatusChange
        fields = ["from_status", "to_status", "actor", "note", "at"]
        read_only_fields = fields


class DataProductSerializer(serializers.ModelSerializer):
    """A data product as the catalog shows it: owner, status, contract, ports, tags, consumers."""

    domain = DomainRefSerializer(read_only=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    output_ports = OutputPortSerializer(many=True, read_only=True)
    consumers = ConsumerSerializer(many=True, read_only=True)
    consumer_count = serializers.IntegerField(read_only=True)
    replacement = ProductRefSerializer(read_only=True, allow_null=True)
    # Unclassified ("") is allowed until the product takes on an SLA.
    classification = serializers.ChoiceField(
        choices=DataProduct.Classification.choices, allow_blank=True, read_only=True
    )
    next_statuses = serializers.SerializerMethodField()
    can_edit = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = DataProduct
        fields = [
            "id",
            "url",
            "domain",
            "slug",
            "name",
            "description",
            "status",
            "next_statuses",
            "classification",
            "contains_pii",
            "tags",
            "schema",
            "freshness_sla_hours",
            "availability_target",
            "support_contact",
            "sunset_on",
            "replacement",
            "output_ports",
            "consumers",
            "consumer_count",
            "created_at",
            "updated_at",
            "can_edit",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_next_statuses(self, product: DataProduct) -> list[str]:
        return next_statuses(product.status)

    def get_can_edit(self, product: DataProduct) -> bool:
        return access.can_manage_products(self.context["request"].user, product.domain_id)


class DataProductDetailSerializer(DataProductSerializer):
    """One product, with its status history."""

    status_history = StatusChangeSerializer(many=True, read_only=True)

    class Meta(DataProductSerializer.Meta):
        fields = [*DataProductSerializer.Meta.fields, "status_history"]
        read_only_fields = fields


class DataProductWriteSerializer(serializers.ModelSerializer):
    """Publish or edit a product. ``domain`` (slug) is set at creation only; ``tags`` are names;
    ``output_ports`` replaces the list; a new ``status`` goes through the status rules."""

    domain = serializers.SlugRelatedField(
        slug_field="slug", queryset=Domain.objects.all(), required=False
    )
    slug = serializers.SlugField(max_length=80, required=False, allow_blank=True)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=20
    )
    output_ports = OutputPortSerializer(many=True, required=False)
    replacement = serializers.PrimaryKeyRelatedField(
        queryset=DataProduct.objects.all(), required=False, allow_null=True
    )
    note = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text=gettext_lazy("Why the status changes (kept in the status history)."),
    )

    class Meta:
        model = DataProduct
        fields = [
            "domain",
            "name",
            "slug",
            "description",
            "status",
            "note",
            "classification",
            "contains_pii",
            "tags",
            "schema",
            "freshness_sla_hours",
            "availability_target",
            "support_contact",
            "sunset_on",
            "replacement",
            "output_ports",
        ]
        validators: list = []

    def validate(self, attrs):
        if self.instance is None and "domain" not in attrs:
            raise serializers.ValidationError(
                {"domain": gettext("Say which domain publishes it (slug).")}
            )
        if (
            self.instance is not None
            and "domain" in attrs
            and attrs["domain"] != self.instance.domain
        ):
            raise serializers.ValidationError(
                {
                    "domain": gettext(
                        "A product stays in its domain; publish a new one in the other domain."
                    )
                }
            )
        if self.instance is not None:
            attrs.pop("domain", None)
        return attrs
