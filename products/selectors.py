"""Catalog reads shared by the pages and the API, shaped so a list costs the same few queries
whatever its length (related rows are joined or prefetched, counts are subqueries)."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from products import access
from products.models import DataProduct, Domain, ProductConsumer, ProductStatusChange


def _count_of(model, fk: str, **filters) -> Coalesce:
    """A correlated COUNT subquery: no GROUP BY on the outer query, so filters and search
    annotations compose freely with it."""
    rows = (
        model.objects.filter(**{fk: OuterRef("pk")}, **filters)
        .order_by()
        .values(fk)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def product_list() -> QuerySet[DataProduct]:
    """Data products with their domain, ports, tags and consumers loaded, and ``consumer_count``."""
    return (
        DataProduct.objects.select_related("domain", "replacement__domain")
        .prefetch_related(
            "output_ports",
            "tags",
            Prefetch("consumers", queryset=ProductConsumer.objects.select_related("domain")),
        )
        .annotate(consumer_count=_count_of(ProductConsumer, "product"))
    )


def product_detail() -> QuerySet[DataProduct]:
    """`product_list` plus the status history with its actors (for one product's page)."""
    return product_list().prefetch_related(
        Prefetch("status_history", queryset=ProductStatusChange.objects.select_related("actor"))
    )


def domain_list() -> QuerySet[Domain]:
    """Domains with their leads and ``product_count`` (live, i.e. not deprecated, products)."""
    return Domain.objects.prefetch_related("leads").annotate(
        product_count=_count_of(DataProduct, "domain", status__in=_live_statuses())
    )


def domain_detail() -> QuerySet[Domain]:
    """`domain_list` plus members (for one domain's page)."""
    return domain_list().prefetch_related("members")


def domains_of(user) -> QuerySet[Domain]:
    """The domains ``user`` leads or belongs to, with their product counts."""
    if not user.is_authenticated:
        return Domain.objects.none()
    return Domain.objects.filter(pk__in=access.domain_ids(user)[1]).annotate(
        product_count=_count_of(DataProduct, "domain", status__in=_live_statuses())
    )


def _live_statuses() -> list[str]:
    return [s for s in DataProduct.Status.values if s != DataProduct.Status.DEPRECATED]
