"""Domains (producing teams) and the data products they publish: shared by default."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy


class Domain(models.Model):
    """A producing team in the mesh: owns data products and receives data requests."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True)
    leads = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="led_domains", blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="member_domains", blank=True
    )
    contact_email = models.EmailField(blank=True)
    webhook_url = models.URLField(
        blank=True,
        help_text=gettext_lazy("Slack-compatible incoming webhook; new requests are posted there."),
    )
    webhook_secret = models.CharField(
        max_length=128, blank=True, help_text=gettext_lazy("Signs webhook bodies (HMAC-SHA256).")
    )
    default_capacity = models.PositiveIntegerField(
        default=20,
        help_text=gettext_lazy(
            "Effort points the domain can plan per cycle, unless set per cycle."
        ),
    )
    # Catalog interchange: who owns it in the source catalog (Backstage `spec.owner`).
    owner_ref = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("products:domain-detail", args=[self.slug])


class Tag(models.Model):
    """A free label on data products (``clickstream``, ``gdpr``…), for browsing the catalog."""

    name = models.SlugField(max_length=40, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DataProduct(models.Model):
    """Data a domain publishes. Starts `shared` (as-is, no SLA) and may grow into a `product`."""

    class Status(models.TextChoices):
        SHARED = "shared", gettext_lazy("Shared (as-is, no SLA)")
        INCUBATING = "incubating", gettext_lazy("Incubating")
        PRODUCT = "product", gettext_lazy("Product (with SLA)")
        DEPRECATED = "deprecated", gettext_lazy("Deprecated")

    class Classification(models.TextChoices):
        PUBLIC = "public", gettext_lazy("Public")
        INTERNAL = "internal", gettext_lazy("Internal")
        CONFIDENTIAL = "confidential", gettext_lazy("Confidential")
        RESTRICTED = "restricted", gettext_lazy("Restricted")

    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="data_products")
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=80)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SHARED)
    classification = models.CharField(
        max_length=12, choices=Classification.choices, blank=True, default=""
    )
    contains_pii = models.BooleanField(default=False)
    tags = models.ManyToManyField(Tag, related_name="data_products", blank=True)
    # The contract: what consumers may rely on.
    schema = models.TextField(blank=True, help_text=gettext_lazy("Schema or DDL, as text."))
    freshness_sla_hours = models.PositiveIntegerField(
        null=True, blank=True, help_text=gettext_lazy("Data is at most this many hours old.")
    )
    availability_target = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=gettext_lazy("Percent, e.g. 99.50."),
    )
    support_contact = models.CharField(max_length=200, blank=True)
    sunset_on = models.DateField(null=True, blank=True)
    replacement = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaces"
    )
    # Catalog interchange: the stable key in the source file (Backstage `metadata.name`, ODPS
    # `id`), so a re-import updates this row instead of adding another; and the owner there.
    external_id = models.CharField(max_length=200, blank=True, default="")
    owner_ref = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["domain__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["domain", "slug"], name="product_slug_unique_in_domain"
            ),
            models.UniqueConstraint(
                fields=["domain", "external_id"],
                condition=~models.Q(external_id=""),
                name="product_external_id_unique_in_domain",
            ),
        ]
        indexes = [
            # Catalog browsing filters by status within a domain.
            models.Index(fields=["status", "domain"], name="product_status_domain_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.domain.slug}/{self.slug}" if self.domain_id else self.name

    def get_absolute_url(self) -> str:
        return reverse("products:product-detail", args=[self.pk])


class OutputPort(models.Model):
    """Where consumers read a data product: a table, a topic, an API or files."""

    class Kind(models.TextChoices):
        TABLE = "table", gettext_lazy("Table")
        TOPIC = "topic", gettext_lazy("Topic")
        API = "api", gettext_lazy("API")
        FILE = "file", gettext_lazy("File")

    product = models.ForeignKey(DataProduct, on_delete=models.CASCADE, related_name="output_ports")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    location = models.CharField(max_length=300)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "location"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.location}"


class ProductConsumer(models.Model):
    """A domain that consumes a data product, since when and for what."""

    product = models.ForeignKey(DataProduct, on_delete=models.CASCADE, related_name="consumers")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="consumes")
    since = models.DateField()
    use_case = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["since"]
        constraints = [
            models.UniqueConstraint(fields=["product", "domain"], name="consumer_once_per_product")
        ]

    def __str__(self) -> str:
        return f"{self.domain} consumes {self.product}"


class ConsumerRequest(models.Model):
    """A team's ask to consume a data product ("consume instead" of filing a request), until the
    producing domain's leads confirm it (it becomes a `ProductConsumer`) or decline it."""

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Waiting for the producing domain")
        CONFIRMED = "confirmed", gettext_lazy("Confirmed")
        DECLINED = "declined", gettext_lazy("Declined")

    product = models.ForeignKey(
        DataProduct, on_delete=models.CASCADE, related_name="consumer_requests"
    )
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    use_case = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(
        max_length=500, blank=True, help_text=gettext_lazy("Why it was declined.")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open ask per team and product (asking again after a decline is fine).
            models.UniqueConstraint(
                fields=["product", "domain"],
                condition=models.Q(status="pending"),
                name="consumer_request_once_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.domain} asks to consume {self.product} ({self.status})"


class ProductStatusChange(models.Model):
    """Append-only history of a data product's status, shown on its page."""

    product = models.ForeignKey(
        DataProduct, on_delete=models.CASCADE, related_name="status_history"
    )
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.product}: {self.from_status or '—'} → {self.to_status}"
