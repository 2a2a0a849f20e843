"""Every write on the catalog: one function per use case, atomic, checking the actor's role.

The API, the pages and the admin all call these, so governance holds whichever door is used:
- a `product` has a description, a classification, a support contact and a freshness SLA;
- a `deprecated` product has a sunset date, and its replacement (if any) is another live product;
- status only moves forward (shared → incubating → product → deprecated); deprecated is final;
- a product's slug is unique in its domain (made from the name when left blank);
- staff manage domains; leads edit their own domain's contact details and capacity; leads and
  members of a domain manage its data products.
Role failures raise `NotPermitted` (403), field rules Django's `ValidationError` by field (400),
forbidden status moves `TransitionNotAllowed` (400, naming the statuses still open).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from core import outbound
from core.errors import NotPermitted, TransitionNotAllowed
from products import access
from products.models import (
    DataProduct,
    Domain,
    OutputPort,
    ProductConsumer,
    ProductStatusChange,
    Tag,
)

S = DataProduct.Status
STATUS_ORDER: tuple[str, ...] = (S.SHARED, S.INCUBATING, S.PRODUCT, S.DEPRECATED)

DOMAIN_LEAD_FIELDS = frozenset(
    {"description", "contact_email", "webhook_url", "webhook_secret", "default_capacity"}
)
DOMAIN_STAFF_FIELDS = DOMAIN_LEAD_FIELDS | {"name", "slug", "leads", "members"}
PRODUCT_FIELDS = frozenset(
    {
        "name",
        "slug",
        "description",
        "classification",
        "contains_pii",
        "schema",
        "freshness_sla_hours",
        "availability_target",
        "support_contact",
        "sunset_on",
        "replacement",
    }
)
PORT_FIELDS = frozenset({"kind", "location", "description"})


# --- rules (pure: no database writes; the admin form runs them too) ---------------------------


def next_statuses(status: str) -> list[str]:
    """Statuses a product in ``status`` may move to: any later one; none once deprecated."""
    if status == S.DEPRECATED:
        return []
    return [str(s) for s in STATUS_ORDER[STATUS_ORDER.index(status) + 1 :]]


def check_status_move(product: DataProduct, to_status: str) -> None:
    """Raise unless ``product`` may go from its current status to ``to_status``."""
    if to_status not in S.values:
        raise ValidationError(
            {"status": f"Unknown status {to_status!r}. Valid choices: {', '.join(S.values)}."}
        )
    allowed = next_statuses(product.status)
    if to_status not in allowed:
        if product.status == S.DEPRECATED:
            why = "Deprecation is final; publish a new product instead."
        else:
            why = f"Status only moves forward; from here it can become: {', '.join(allowed)}."
        raise TransitionNotAllowed(
            f"{product.name} is {product.status}; it cannot become {to_status}. {why}",
            allowed_actions=allowed,
        )


def check_product_rules(product: DataProduct) -> None:
    """Governance for ``product`` in its (possibly new) status; raises ValidationError by field."""
    errors: dict[str, str] = {}
    if product.status == S.PRODUCT:
        if not (product.description or "").strip():
            errors["description"] = (
                "A product needs a description: what the data is and how to use it."
            )
        if not product.classification:
            errors["classification"] = (
                "A product needs a classification (public, internal, confidential or restricted)."
            )
        if not (product.support_contact or "").strip():
            errors["support_contact"] = (
                "A product needs a support contact (a channel or an address) consumers can reach."
            )
        if product.freshness_sla_hours is None:
            errors["freshness_sla_hours"] = (
                "A product needs a freshness SLA (in hours): consumers rely on it. Keep it "
                "shared or incubating until you can promise one."
            )
    if product.status == S.DEPRECATED and product.sunset_on is None:
        errors["sunset_on"] = "Deprecating needs a sunset date, so consumers can plan the move."
    if product.replacement_id is not None:
        replacement = product.replacement
        if product.pk is not None and replacement.pk == product.pk:
            errors["replacement"] = "A product cannot replace itself; pick another one."
        elif replacement.status == S.DEPRECATED:
            errors["replacement"] = (
                f"{replacement} is deprecated too; point consumers to a live product."
            )
    if product.freshness_sla_hours is not None and product.freshness_sla_hours < 1:
        errors["freshness_sla_hours"] = "The freshness SLA is at least 1 hour."
    target = product.availability_target
    if target is not None and not (0 < target <= 100):
        errors["availability_target"] = "Availability is a percentage above 0 and at most 100."
    if errors:
        raise ValidationError(errors)


# --- helpers ----------------------------------------------------------------------------------


def _require_signed_in(actor) -> None:
    if actor is None or not actor.is_authenticated:
        raise NotPermitted("Sign in first.")


def _check_team(actor, domain: Domain, what: str) -> None:
    _require_signed_in(actor)
    if not access.can_manage_products(actor, domain):
        raise NotPermitted(f"Only leads and members of {domain} (or staff) may {what}.")


def _check_staff(actor, what: str) -> None:
    _require_signed_in(actor)
    if not access.is_staff(actor):
        raise NotPermitted(f"Only staff may {what}.")


def _reject_unknown(fields: dict, allowed: Iterable[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError({name: "This field cannot be set here." for name in sorted(unknown)})


def _unique_slug(model, base: str, *, exclude_pk: int | None = None, **scope: Any) -> str:
    base = (slugify(base) or "item")[:70]
    taken = set(
        model.objects.filter(slug__startswith=base, **scope)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _fill_product_slug(product: DataProduct, *, explicit: bool) -> None:
    """Slug unique in the domain: an explicit clash is an error, a generated one gets a suffix."""
    if not explicit or not product.slug:
        product.slug = _unique_slug(
            DataProduct, product.slug or product.name, exclude_pk=product.pk, domain=product.domain
        )
        return
    product.slug = slugify(product.slug)
    clash = DataProduct.objects.filter(domain=product.domain, slug=product.slug)
    if clash.exclude(pk=product.pk).exists():
        raise ValidationError(
            {"slug": f"{product.domain} already has a product called {product.slug!r}."}
        )


def _validate_fields(instance, *, exclude: Iterable[str] = ()) -> None:
    """Field formats (lengths, emails, choices); our own messages cover uniqueness."""
    instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)


def tag_names(names: Iterable[str] | str) -> list[str]:
    """Normalize free-typed tags (``"GDPR, click stream"`` → ``["gdpr", "click-stream"]``)."""
    if isinstance(names, str):
        names = names.split(",")
    cleaned: list[str] = []
    for raw in names:
        name = slugify(str(raw))[:40]
        if name and name not in cleaned:
            cleaned.append(name)
    if len(cleaned) > 20:
        raise ValidationError({"tags": "Use at most 20 tags."})
    return cleaned


def _set_tags(product: DataProduct, names: Iterable[str] | str) -> None:
    tags = []
    for name in tag_names(names):
        tag, _ = Tag.objects.get_or_create(name=name)
        tags.append(tag)
    product.tags.set(tags)


def _record_status(product: DataProduct, *, actor, from_status: str, note: str = "") -> None:
    ProductStatusChange.objects.create(
        product=product,
        from_status=from_status,
        to_status=product.status,
        actor=actor,
        note=(note or "")[:300],
    )


def _ensure_webhook_secret(domain: Domain) -> None:
    """Webhooks are always signed: a domain with a webhook URL and no secret gets a random one
    (clearing the secret therefore rotates it). Leads read it on the domain page to verify."""
    if domain.webhook_url and not domain.webhook_secret:
        domain.webhook_secret = secrets.token_urlsafe(32)
    _check_webhook_destination(domain)


def _check_webhook_destination(domain: Domain) -> None:
    """A webhook goes only to a public host: never loopback, private, link-local (metadata)
    or reserved addresses (checked again at each send, core.outbound)."""
    if not domain.webhook_url:
        return
    try:
        outbound.check_url(domain.webhook_url)
    except outbound.UnsafeDestination as exc:
        raise ValidationError({"webhook_url": str(exc)}) from exc


def _lock(product: DataProduct) -> DataProduct:
    """Re-read the product under a row lock so concurrent editors serialize on it."""
    return DataProduct.objects.select_for_update().select_related("domain").get(pk=product.pk)


# --- domains ----------------------------------------------------------------------------------


def domain_check_create(*, actor) -> None:
    """Only staff create domains; doors call this before parsing input, so a refusal is a 403
    and never a validation error that would describe what the caller may not do."""
    _check_staff(actor, "create domains")


@transaction.atomic
def domain_create(
    *,
    actor,
    name: str,
    slug: str = "",
    leads: Iterable = (),
    members: Iterable = (),
    **fields: Any,
) -> Domain:
    """Staff open a producing domain (slug made from the name when blank, unique)."""
    domain_check_create(actor=actor)
    _reject_unknown(fields, DOMAIN_LEAD_FIELDS)
    domain = Domain(name=(name or "").strip(), **fields)
    if not domain.name:
        raise ValidationError({"name": "Give the domain a name."})
    if Domain.objects.filter(name__iexact=domain.name).exists():
        raise ValidationError({"name": f"A domain called {domain.name!r} already exists."})
    domain.slug = slugify(slug) if slug else _unique_slug(Domain, domain.name)
    if Domain.objects.filter(slug=domain.slug).exists():
        raise ValidationError({"slug": f"The slug {domain.slug!r} is taken by another domain."})
    _ensure_webhook_secret(domain)
    _validate_fields(domain)
    domain.save()
    domain.leads.set(leads)
    domain.members.set(members)
    return domain


@transaction.atomic
def domain_update(*, domain: Domain, actor, **fields: Any) -> Domain:
    """Staff edit anything; a lead edits their own domain's description, contact, webhook and
    capacity (not its name, slug or people)."""
    _require_signed_in(actor)
    _reject_unknown(fields, DOMAIN_STAFF_FIELDS)
    if not access.is_staff(actor):
        if not access.is_lead(actor, domain):
            raise NotPermitted(f"Only leads of {domain} (or staff) may edit it.")
        staff_only = sorted(set(fields) - DOMAIN_LEAD_FIELDS)
        if staff_only:
            raise NotPermitted(
                f"Only staff may change a domain's {', '.join(staff_only)}; leads edit its "
                "description, contact, webhook and capacity."
            )
    domain = Domain.objects.select_for_update().get(pk=domain.pk)
    people = {k: fields.pop(k) for k in ("leads", "members") if k in fields}
    for name, value in fields.items():
        setattr(domain, name, value.strip() if isinstance(value, str) else value)
    if "name" in fields:
        if not domain.name:
            raise ValidationError({"name": "Give the domain a name."})
        if Domain.objects.filter(name__iexact=domain.name).exclude(pk=domain.pk).exists():
            raise ValidationError({"name": f"A domain called {domain.name!r} already exists."})
    if "slug" in fields:
        domain.slug = slugify(domain.slug) or _unique_slug(
            Domain, domain.name, exclude_pk=domain.pk
        )
        if Domain.objects.filter(slug=domain.slug).exclude(pk=domain.pk).exists():
            raise ValidationError({"slug": f"The slug {domain.slug!r} is taken by another domain."})
    _ensure_webhook_secret(domain)
    _validate_fields(domain)
    domain.save()
    for name, users in people.items():
        getattr(domain, name).set(users)
    if people:
        access.forget(actor)
    return domain


# --- data products ----------------------------------------------------------------------------


@transaction.atomic
def product_create(
    *,
    actor,
    domain: Domain,
    name: str,
    status: str = S.SHARED,
    tags: Iterable[str] | str = (),
    output_ports: Iterable[dict] = (),
    note: str = "",
    **fields: Any,
) -> DataProduct:
    """A lead or member publishes a data product of their domain (shared by default: as-is, no
    SLA). Publishing straight as incubating or product is fine if the product meets the rules."""
    _check_team(actor, domain, "publish data products in it")
    _reject_unknown(fields, PRODUCT_FIELDS)
    product = DataProduct(domain=domain, name=(name or "").strip(), **fields)
    if not product.name:
        raise ValidationError({"name": "Give the data product a name."})
    if status not in (S.SHARED, S.INCUBATING, S.PRODUCT):
        raise ValidationError(
            {"status": "A new data product starts shared, incubating or product, not deprecated."}
        )
    product.status = status
    _fill_product_slug(product, explicit=bool(fields.get("slug")))
    _validate_fields(product, exclude=["tags"])  # also turns "99.5" into a Decimal
    check_product_rules(product)
    product.save()
    _set_tags(product, tags)
    for port in output_ports:
        _port_create(product, **port)
    _record_status(product, actor=actor, from_status="", note=note or "Published")
    return product


@transaction.atomic
def product_update(
    *,
    product: DataProduct,
    actor,
    tags: Iterable[str] | str | None = None,
    output_ports: Iterable[dict] | None = None,
    status: str | None = None,
    note: str = "",
    **fields: Any,
) -> DataProduct:
    """Leads and members of the owning domain edit a product; the rules of its status keep
    holding. ``output_ports`` (a list of dicts) replaces the ports; a new ``status`` goes through
    `product_set_status` in the same transaction, so a refused status change saves nothing."""
    product = _lock(product)
    _check_team(actor, product.domain, "edit its data products")
    _reject_unknown(fields, PRODUCT_FIELDS)
    for name, value in fields.items():
        setattr(product, name, value.strip() if isinstance(value, str) else value)
    if "name" in fields and not product.name:
        raise ValidationError({"name": "Give the data product a name."})
    if "slug" in fields:
        _fill_product_slug(product, explicit=bool(product.slug))
    _validate_fields(product, exclude=["tags"])
    changes_status = status is not None and status != product.status
    if changes_status:
        # Judge the edit by the rules of the status it is heading to, so one answer lists
        # everything missing (product_set_status checks again below, on the saved row).
        check_status_move(product, status)
        staged = DataProduct(
            **{f.attname: getattr(product, f.attname) for f in product._meta.fields}
        )
        staged.status = status
        check_product_rules(staged)
    else:
        check_product_rules(product)
    product.save()
    if tags is not None:
        _set_tags(product, tags)
    if output_ports is not None:
        _ports_replace(product, list(output_ports))
    if changes_status:
        product = product_set_status(product=product, actor=actor, status=status, note=note)
    return product


@transaction.atomic
def product_set_status(*, product: DataProduct, actor, status: str, note: str = "") -> DataProduct:
    """Move a product along shared → incubating → product → deprecated (forward only; deprecated
    is final), holding the rules of the new status; writes one ProductStatusChange."""
    product = _lock(product)
    _check_team(actor, product.domain, "change the status of its data products")
    if status == product.status:
        return product
    check_status_move(product, status)
    previous = product.status
    product.status = status
    check_product_rules(product)
    product.save(update_fields=["status", "updated_at"])
    _record_status(product, actor=actor, from_status=previous, note=note)
    return product


# --- output ports -----------------------------------------------------------------------------


def _port_create(product: DataProduct, **fields: Any) -> OutputPort:
    _reject_unknown(fields, PORT_FIELDS | {"id"})
    fields.pop("id", None)
    port = OutputPort(product=product, **fields)
    _clean_port(port)
    port.save()
    return port


def _clean_port(port: OutputPort) -> None:
    port.location = (port.location or "").strip()
    if not port.location:
        raise ValidationError({"location": "Say where consumers read it (table, topic, URL…)."})
    if port.kind not in OutputPort.Kind.values:
        raise ValidationError(
            {
                "kind": f"Unknown kind {port.kind!r}. Valid choices: "
                f"{', '.join(OutputPort.Kind.values)}."
            }
        )
    _validate_fields(port, exclude=["product"])


def _ports_replace(product: DataProduct, ports: list[dict]) -> None:
    """Make the product's ports exactly ``ports``: update those given by id, add, remove the rest."""
    existing = {p.pk: p for p in product.output_ports.all()}
    keep: set[int] = set()
    for data in ports:
        data = dict(data)
        port_id = data.pop("id", None)
        if port_id is not None and port_id in existing:
            port = existing[port_id]
            for name, value in data.items():
                setattr(port, name, value)
            _reject_unknown(data, PORT_FIELDS)
            _clean_port(port)
            port.save()
            keep.add(port.pk)
        else:
            keep.add(_port_create(product, **data).pk)
    OutputPort.objects.filter(product=product).exclude(pk__in=keep).delete()


@transaction.atomic
def port_add(*, product: DataProduct, actor, kind: str, location: str, description: str = ""):
    """Leads and members of the owning domain say where the product can be read."""
    _check_team(actor, product.domain, "change its data products")
    return _port_create(product, kind=kind, location=location, description=description)


@transaction.atomic
def port_update(*, port: OutputPort, actor, **fields: Any) -> OutputPort:
    """Leads and members of the owning domain correct a port's kind, location or description."""
    port = OutputPort.objects.select_related("product__domain").get(pk=port.pk)
    _check_team(actor, port.product.domain, "change its data products")
    _reject_unknown(fields, PORT_FIELDS)
    for name, value in fields.items():
        setattr(port, name, value)
    _clean_port(port)
    port.save()
    return port


@transaction.atomic
def port_remove(*, port: OutputPort, actor) -> None:
    """Leads and members of the owning domain remove a port."""
    port = OutputPort.objects.select_related("product__domain").get(pk=port.pk)
    _check_team(actor, port.product.domain, "change its data products")
    port.delete()


# --- consumers --------------------------------------------------------------------------------


def _check_consumer_role(actor, product: DataProduct, domain: Domain) -> None:
    _require_signed_in(actor)
    if not (
        access.can_manage_products(actor, product.domain)
        or access.can_manage_products(actor, domain)
    ):
        raise NotPermitted(
            f"Only the teams of {product.domain} or {domain} (or staff) may change who consumes "
            f"{product.name}."
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
            {"domain": f"{domain} owns {product.name}; consumers are other domains."}
        )
    if product.status == S.DEPRECATED:
        raise ValidationError(
            {"domain": f"{product.name} is deprecated; consume its replacement instead."}
        )
    if ProductConsumer.objects.filter(product=product, domain=domain).exists():
        raise ValidationError({"domain": f"{domain} already consumes {product.name}."})
    consumer = ProductConsumer(
        product=product,
        domain=domain,
        use_case=(use_case or "").strip(),
        since=since or timezone.localdate(),
    )
    _validate_fields(consumer, exclude=["product", "domain"])
    consumer.save()
    return consumer


@transaction.atomic
def consumer_remove(*, product: DataProduct, domain: Domain, actor) -> None:
    """``domain`` no longer consumes ``product``."""
    product = DataProduct.objects.select_related("domain").get(pk=product.pk)
    _check_consumer_role(actor, product, domain)
    deleted, _ = ProductConsumer.objects.filter(product=product, domain=domain).delete()
    if not deleted:
        raise ValidationError({"domain": f"{domain} does not consume {product.name}."})


# --- tags -------------------------------------------------------------------------------------


@transaction.atomic
def tag_save(*, actor, name: str, tag: Tag | None = None) -> Tag:
    """Staff create or rename a tag (products create their tags on the fly)."""
    _check_staff(actor, "manage tags")
    names = tag_names([name])
    if not names:
        raise ValidationError({"name": "Give the tag a name (letters, digits, dashes)."})
    clash = Tag.objects.filter(name=names[0])
    if tag is not None:
        clash = clash.exclude(pk=tag.pk)
    if clash.exists():
        raise ValidationError({"name": f"The tag {names[0]!r} already exists."})
    tag = tag or Tag()
    tag.name = names[0]
    tag.save()
    return tag
