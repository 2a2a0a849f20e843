"""Consumers of a data product: the domains that use it, since when and for what."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import Conflict, NotPermitted, TransitionNotAllowed
from products import access
from products.models import (
    ConsumerRequest,
    DataProduct,
    Domain,
    ProductConsumer,
)
from products.services.rules import require_signed_in, validate_fields
from products.signals import consumer_decided, consumer_requested

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


# --- "consume instead": a team asks, the producing domain's leads confirm or decline -----------


def _asking_domain(actor, domain: Domain | None) -> Domain:
    led, team = access.domain_ids(actor)
    if domain is None:
        if len(team) != 1:
            raise ValidationError(
                {"domain": gettext("Say which of your teams would consume it (a slug).")}
            )
        return Domain.objects.get(pk=next(iter(team)))
    if domain.pk not in team and not access.is_staff(actor):
        raise NotPermitted(
            gettext("Only a member or lead of %(domain)s (or staff) may ask for it.")
            % {"domain": domain}
        )
    return domain


@transaction.atomic
def consumer_request_create(
    *, product: DataProduct, actor, use_case: str, domain: Domain | None = None
) -> ConsumerRequest:
    """A team asks to consume ``product`` instead of filing a request (any member of that team;
    by default the actor's only team). The producing domain's leads are told (in the same
    transaction). 400 own product, deprecated, already a consumer, no use case; 409 asked already."""
    require_signed_in(actor)
    product = DataProduct.objects.select_related("domain").get(pk=product.pk)
    domain = _asking_domain(actor, domain)
    use_case = (use_case or "").strip()
    if not use_case:
        raise ValidationError({"use_case": gettext("Say what your team would use it for.")})
    if len(use_case) > 300:
        raise ValidationError(
            {
                "use_case": gettext("Keep it under 300 characters (it has %(len)s).")
                % {"len": len(use_case)}
            }
        )
    if domain.pk == product.domain_id:
        raise ValidationError(
            {
                "domain": gettext("%(domain)s owns %(name)s already.")
                % {"domain": domain, "name": product.name}
            }
        )
    if product.status == S.DEPRECATED:
        raise ValidationError(
            {
                "domain": gettext("%(name)s is deprecated; ask for its replacement instead.")
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
    if ConsumerRequest.objects.filter(product=product, domain=domain, status="pending").exists():
        raise Conflict(
            gettext("%(domain)s already asked to consume %(name)s; its leads will answer.")
            % {"domain": domain, "name": product.name}
        )
    try:
        with transaction.atomic():
            asked = ConsumerRequest.objects.create(
                product=product, domain=domain, requested_by=actor, use_case=use_case
            )
    except IntegrityError:  # a concurrent ask won
        raise Conflict(
            gettext("%(domain)s already asked to consume %(name)s.")
            % {"domain": domain, "name": product.name}
        ) from None
    consumer_requested.send(sender=ConsumerRequest, consumer_request=asked, actor=actor)
    return asked


@transaction.atomic
def consumer_request_decide(
    *, consumer_request: ConsumerRequest, actor, confirm: bool, reason: str = ""
) -> ConsumerRequest:
    """The producing domain's leads (or staff) confirm an ask (the team becomes a consumer,
    listed on the product) or decline it with a reason; the asker is told."""
    asked = (
        ConsumerRequest.objects.select_for_update(of=("self",))
        .select_related("product__domain", "domain", "requested_by")
        .get(pk=consumer_request.pk)
    )
    require_signed_in(actor)
    if not (access.is_lead(actor, asked.product.domain_id) or access.is_staff(actor)):
        raise NotPermitted(
            gettext("Only a lead of %(domain)s (or staff) may answer who consumes %(name)s.")
            % {"domain": asked.product.domain, "name": asked.product.name}
        )
    if asked.status != ConsumerRequest.Status.PENDING:
        raise TransitionNotAllowed(
            gettext("This ask was %(status)s already.") % {"status": asked.status}
        )
    reason = (reason or "").strip()
    if not confirm and not reason:
        raise ValidationError({"reason": gettext("Say why you decline: the team reads it.")})
    if confirm:
        ProductConsumer.objects.get_or_create(
            product=asked.product,
            domain=asked.domain,
            defaults={"use_case": asked.use_case, "since": timezone.localdate()},
        )
    asked.status = "confirmed" if confirm else "declined"
    asked.reason = reason[:500]
    asked.decided_by, asked.decided_at = actor, timezone.now()
    asked.save()
    consumer_decided.send(sender=ConsumerRequest, consumer_request=asked, actor=actor)
    return asked
