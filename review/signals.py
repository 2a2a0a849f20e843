"""What the review reads, heard as it changes: model signals that call `review_data_changed()`.

Registered by the requests app's config. A save that names only fields the review does not read
(a board's rank or version, say) changes no figure and leaves the cached reviews alone. Writes
that bypass ``save()`` call the hook themselves: `requests_app.services.cycle_update` (early/late
and lead times after new dates). The board's bulk writes (ranks, board versions) change no figure.
"""

from __future__ import annotations

from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from products.models import DataProduct, Domain, ProductConsumer
from requests_app.events import requests_bulk_changed
from requests_app.models import DataRequest, DomainCycleCapacity, RoadmapCycle
from review.caching import review_data_changed

# Each model the review reads, and the fields it reads (None: all of them).
READS: dict[type[Model], tuple[str, ...] | None] = {
    DataRequest: (
        "needed_by_cycle",
        "planned_cycle",
        "status",
        "submitted_at",
        "triaged_at",
        "delivered_at",
        "is_late",
        "lead_time_days",
        "effort",
        "requesting_domain",
        "target_domain",
        "delivered_product",
        "title",
        "decision_reason",
        "demand",
    ),
    RoadmapCycle: None,  # names, slugs, dates: its own review, and "deferred to a later cycle"
    DomainCycleCapacity: ("domain", "cycle", "capacity"),
    Domain: ("name", "slug", "default_capacity"),
    DataProduct: ("domain", "name", "status", "created_at"),  # coverage, created or extended
    ProductConsumer: None,  # share by default: consumers of the catalog's products
}


def _names(model: type[Model], fields: tuple[str, ...]) -> frozenset[str]:
    """The fields by name and by column attribute (``save(update_fields=...)`` takes either)."""
    names: set[str] = set()
    for name in fields:
        field = model._meta.get_field(name)
        names.update((field.name, field.attname))
    return frozenset(names)


_READ_NAMES = {model: fields and _names(model, fields) for model, fields in READS.items()}


def _saved(sender, *, created: bool, update_fields, using: str, **kwargs) -> None:
    read = _READ_NAMES[sender]
    unread_only = update_fields is not None and read is not None and read.isdisjoint(update_fields)
    if created or not unread_only:
        review_data_changed(using=using)


def _deleted(sender, *, using: str, **kwargs) -> None:
    review_data_changed(using=using)


def _bulk_changed(sender, *, using: str = "default", **kwargs) -> None:
    review_data_changed(using=using)


def connect() -> None:
    """Listen to every model the review reads, and to bulk writes of requests (idempotent)."""
    requests_bulk_changed.connect(_bulk_changed, dispatch_uid="review-data-bulk")
    for model in READS:
        uid = f"review-data-{model._meta.label_lower}"
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid)
