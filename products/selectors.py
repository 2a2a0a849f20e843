"""Catalog reads shared by the pages and the API, shaped so a list costs the same few queries
whatever its length (related rows are joined or prefetched, counts are subqueries)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from products.models import DataProduct, Domain, ProductConsumer, ProductStatusChange
from requests_app.models import DataRequest, DomainCycleCapacity, RoadmapCycle


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


def product_requests(product: DataProduct) -> dict[str, list[DataRequest]]:
    """The requests a product delivered, and the open or closed requests that ask about it."""
    base = DataRequest.objects.select_related(
        "requester", "requesting_domain", "target_domain", "needed_by_cycle"
    ).order_by("-id")
    delivered = list(base.filter(delivered_product=product)[:50])
    delivered_ids = {r.pk for r in delivered}
    about = [r for r in base.filter(data_product=product)[:50] if r.pk not in delivered_ids]
    return {"delivered": delivered, "about": about}


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
    ids = Domain.objects.filter(Q(leads=user) | Q(members=user)).values("pk")
    return Domain.objects.filter(pk__in=ids).annotate(
        product_count=_count_of(DataProduct, "domain", status__in=_live_statuses())
    )


def _live_statuses() -> list[str]:
    return [s for s in DataProduct.Status.values if s != DataProduct.Status.DEPRECATED]


@dataclass(frozen=True)
class CycleCapacity:
    """A domain's planned effort against its capacity in one cycle."""

    cycle: RoadmapCycle
    capacity: int
    used: int

    @property
    def remaining(self) -> int:
        return self.capacity - self.used

    @property
    def overflow(self) -> int:
        return max(0, self.used - self.capacity)

    @property
    def over(self) -> bool:
        return self.used > self.capacity


PLANNED_STATUSES = (
    DataRequest.Status.ACCEPTED,
    DataRequest.Status.IN_PROGRESS,
    DataRequest.Status.DELIVERED,
)


def domain_capacity(domain: Domain, *, cycles: int = 3) -> list[CycleCapacity]:
    """Capacity and planned effort of ``domain`` for the current cycle and the next ones
    (three queries, whatever the number of requests)."""
    today = timezone.localdate()
    upcoming = list(RoadmapCycle.objects.filter(ends_on__gte=today).order_by("starts_on")[:cycles])
    if not upcoming:
        return []
    overrides = dict(
        DomainCycleCapacity.objects.filter(
            domain=domain, cycle__in=upcoming, capacity__isnull=False
        ).values_list("cycle_id", "capacity")
    )
    used = dict(
        DataRequest.objects.filter(
            target_domain=domain, planned_cycle__in=upcoming, status__in=PLANNED_STATUSES
        )
        .order_by()
        .values("planned_cycle")
        .annotate(total=Sum("effort"))
        .values_list("planned_cycle", "total")
    )
    return [
        CycleCapacity(
            cycle=cycle,
            capacity=overrides.get(cycle.pk, domain.default_capacity),
            used=used.get(cycle.pk) or 0,
        )
        for cycle in upcoming
    ]
