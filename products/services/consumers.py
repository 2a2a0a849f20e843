"""Consumers of a data product: the domains that use it, since when and for what."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import NotPermitted
from products import access
from products.models import (
    DataProduct,
    Domain,
    ProductConsumer,
)
from products.services.rules import require_signed_in, validate_fields

S = DataProduct.Status


def _check_consumer_role(actor, product: DataProduct, domain: Domain) -> None:
    require_signed_in(actor)
    if not (
        access.can_manage_products(actor, product.domain)
        or access.can_manage_products(actor, domain)
    ):
        raise NotPermitted(
            gettext(
                "Only the teams of %(domain)s or %(domain2)s (or staff) may change who consumes %(name)s."
            )
            % {"domain": product.domain, "domain2": domain, "name": product.name}
        )


@transaction.atomic
def consumer_add(
    *,
    product: DataProduct,
    domain: Domain,
    actor,
    use_case: str = "",
    since: dt.date | None = None,
) -> ProductConsumer:
    """Record that ``domain`` consumes ``product`` (its own team or the producer's may say so).
    Deprecated products take no new consumers; a domain is listed once per product."""
    product = DataProduct.objects.select_related("domain").get(pk=product.pk)
    _check_consumer_role(actor, product, domain)
    if domain.pk == product.domain_id:
        raise ValidationError(
            {
                "domain": gettext("%(domain)s owns %(name)s; consumers are other domains.")
                % {"domain": domain, "name": product.name}
            }
        )
    if product.status == S.DEPRECATED:
        raise ValidationError(
            {
                "domain": gettext("%(name)s is deprecated; consume its replacement instead.")
                % {"name": product.name}
            }
        )
    if ProductConsumer.objects.filter(product=product, domain=domain).exists():
        raise ValidationError(
            {
                "domain": gettext("%(domain)s already consumes %(name)s.")
                % {"domain": domain, "name": product.name}
            }
        )
    consumer = ProductConsumer(
        product=product,
        domain=domain,
        use_case=(use_case or "").strip(),
        since=since or timezone.localdate(),
    )
    validate_fields(consumer, exclude=["product", "domain"])
    consumer.save()
    return consumer


@transaction.atomic
def consumer_remove(*, product: DataProduct, domain: Domain, actor) -> None:
    """``domain`` no longer consumes ``product``."""
    product = DataProduct.objects.select_related("domain").get(pk=product.pk)
    _check_consumer_role(actor, product, domain)
    deleted, _ = ProductConsumer.objects.filter(product=product, domain=domain).delete()
    if not deleted:
        raise ValidationError(
            {
                "domain": gettext("%(domain)s does not consume %(name)s.")
                % {"domain": domain, "name": product.name}
            }
        )
