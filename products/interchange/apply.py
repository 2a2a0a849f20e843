"""Write a `Plan` with bulk statements: the number of queries does not grow with the products."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from products.interchange.plan import SCALARS, Plan
from products.models import (
    DataProduct,
    Domain,
    OutputPort,
    ProductConsumer,
    ProductStatusChange,
    Tag,
)

BATCH = 1000  # rows per statement: within PostgreSQL's 65,535 parameters for bulk_update
NARROW = 5000  # rows per statement for tables of at most 6 columns (ports, tags, consumers)


@transaction.atomic
def plan_apply(*, plan: Plan, actor) -> None:
    """Create and update domains, products, tags, ports and consumers; record status changes."""
    Domain.objects.bulk_create(plan.new_domains, batch_size=BATCH)
    if plan.changed_domains:
        Domain.objects.bulk_update(
            plan.changed_domains, ["name", "description", "owner_ref"], batch_size=BATCH
        )
    domains = {d.slug: d for d in Domain.objects.filter(slug__in=_domain_slugs(plan))}
    now = timezone.now()
    new = [p for p in plan.products if p.is_new]
    old = [p for p in plan.products if not p.is_new]
    for item in plan.products:
        item.product.domain = domains[item.domain_slug]
        item.product.updated_at = now
    DataProduct.objects.bulk_create([p.product for p in new], batch_size=BATCH)
    if old:
        DataProduct.objects.bulk_update(
            [p.product for p in old], [*SCALARS, "updated_at"], batch_size=BATCH
        )
    ids = [p.product.pk for p in plan.products]
    _tags(plan, ids)
    OutputPort.objects.filter(product_id__in=ids).delete()
    OutputPort.objects.bulk_create(
        [
            OutputPort(product=p.product, kind=kind, location=location, description=description)
            for p in plan.products
            for kind, location, description in p.ports
        ],
        batch_size=NARROW,
    )
    ProductConsumer.objects.filter(product_id__in=ids).delete()
    ProductConsumer.objects.bulk_create(
        [
            ProductConsumer(product=p.product, domain=domains[slug], since=since, use_case=use)
            for p in plan.products
            for slug, since, use in p.consumers
        ],
        batch_size=NARROW,
    )
    ProductStatusChange.objects.bulk_create(
        [
            ProductStatusChange(
                product=p.product,
                from_status=p.original.status if p.original else "",
                to_status=p.product.status,
                actor=actor,
                note=gettext("Imported from a catalog file"),
            )
            for p in plan.products
            if p.original is None or p.original.status != p.product.status
        ],
        batch_size=NARROW,
    )


def _domain_slugs(plan: Plan) -> set[str]:
    slugs = {p.domain_slug for p in plan.products}
    slugs |= {slug for p in plan.products for slug, _since, _use in p.consumers}
    return slugs


def _tags(plan: Plan, ids: list[int]) -> None:
    names = {name for p in plan.products for name in p.tags}
    Tag.objects.bulk_create([Tag(name=n) for n in sorted(names)], ignore_conflicts=True)
    tags = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
    through = DataProduct.tags.through
    through.objects.filter(dataproduct_id__in=ids).delete()
    through.objects.bulk_create(
        [
            through(dataproduct_id=p.product.pk, tag_id=tags[name])
            for p in plan.products
            for name in p.tags
        ],
        batch_size=NARROW,
    )
