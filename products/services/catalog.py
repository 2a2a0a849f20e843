"""Data products, their tags and output ports: leads and members of the owning domain manage them;
governance holds on every save (see `products.services.rules`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext

from products.models import (
    DataProduct,
    Domain,
    OutputPort,
    ProductStatusChange,
    Tag,
)
from products.services.rules import (
    PORT_FIELDS,
    PRODUCT_FIELDS,
    check_product_rules,
    check_staff,
    check_status_move,
    check_team,
    reject_unknown,
    tag_names,
    unique_slug,
    validate_fields,
)
from products.signals import product_available

S = DataProduct.Status


def _fill_product_slug(product: DataProduct, *, explicit: bool) -> None:
    """Slug unique in the domain: an explicit clash is an error, a generated one gets a suffix."""
    if not explicit or not product.slug:
        product.slug = unique_slug(
            DataProduct, product.slug or product.name, exclude_pk=product.pk, domain=product.domain
        )
        return
    product.slug = slugify(product.slug)
    clash = DataProduct.objects.filter(domain=product.domain, slug=product.slug)
    if clash.exclude(pk=product.pk).exists():
        raise ValidationError(
            {
                "slug": gettext("%(domain)s already has a product called %(slug)s.")
                % {"domain": product.domain, "slug": repr(product.slug)}
            }
        )


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
    # Published, or now shared or a product: open requests it may answer hear of it.
    if not from_status or product.status in (S.SHARED, S.PRODUCT):
        product_available.send(sender=DataProduct, product=product, actor=actor)


def _lock(product: DataProduct) -> DataProduct:
    """Re-read the product under a row lock so concurrent editors serialize on it."""
    return DataProduct.objects.select_for_update().select_related("domain").get(pk=product.pk)


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
    check_team(actor, domain, "publish data products in it")
    reject_unknown(fields, PRODUCT_FIELDS)
    product = DataProduct(domain=domain, name=(name or "").strip(), **fields)
    if not product.name:
        raise ValidationError({"name": gettext("Give the data product a name.")})
    if status not in (S.SHARED, S.INCUBATING, S.PRODUCT):
        raise ValidationError(
            {
                "status": gettext(
                    "A new data product starts shared, incubating or product, not deprecated."
                )
            }
        )
    product.status = status
    _fill_product_slug(product, explicit=bool(fields.get("slug")))
    validate_fields(product, exclude=["tags"])  # also turns "99.5" into a Decimal
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
    check_team(actor, product.domain, "edit its data products")
    reject_unknown(fields, PRODUCT_FIELDS)
    for name, value in fields.items():
        setattr(product, name, value.strip() if isinstance(value, str) else value)
    if "name" in fields and not product.name:
        raise ValidationError({"name": gettext("Give the data product a name.")})
    if "slug" in fields:
        _fill_product_slug(product, explicit=bool(product.slug))
    validate_fields(product, exclude=["tags"])
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
    check_team(actor, product.domain, "change the status of its data products")
    if status == product.status:
        return product
    check_status_move(product, status)
    previous = product.status
    product.status = status
    check_product_rules(product)
    product.save(update_fields=["status", "updated_at"])
    _record_status(product, actor=actor, from_status=previous, note=note)
    return product


def _port_create(product: DataProduct, **fields: Any) -> OutputPort:
    reject_unknown(fields, PORT_FIELDS | {"id"})
    fields.pop("id", None)
    port = OutputPort(product=product, **fields)
    _clean_port(port)
    port.save()
    return port


def _clean_port(port: OutputPort) -> None:
    port.location = (port.location or "").strip()
    if not port.location:
        raise ValidationError(
            {"location": gettext("Say where consumers read it (table, topic, URL…).")}
        )
    if port.kind not in OutputPort.Kind.values:
        raise ValidationError(
            {
                "kind": gettext("Unknown kind %(kind)s. Valid choices: %(join)s.")
                % {"kind": repr(port.kind), "join": ", ".join(OutputPort.Kind.values)}
            }
        )
    validate_fields(port, exclude=["product"])


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
            reject_unknown(data, PORT_FIELDS)
            _clean_port(port)
            port.save()
            keep.add(port.pk)
        else:
            keep.add(_port_create(product, **data).pk)
    OutputPort.objects.filter(product=product).exclude(pk__in=keep).delete()


@transaction.atomic
def port_add(*, product: DataProduct, actor, kind: str, location: str, description: str = ""):
    """Leads and members of the owning domain say where the product can be read."""
    check_team(actor, product.domain, "change its data products")
    return _port_create(product, kind=kind, location=location, description=description)


@transaction.atomic
def port_update(*, port: OutputPort, actor, **fields: Any) -> OutputPort:
    """Leads and members of the owning domain correct a port's kind, location or description."""
    port = OutputPort.objects.select_related("product__domain").get(pk=port.pk)
    check_team(actor, port.product.domain, "change its data products")
    reject_unknown(fields, PORT_FIELDS)
    for name, value in fields.items():
        setattr(port, name, value)
    _clean_port(port)
    port.save()
    return port


@transaction.atomic
def port_remove(*, port: OutputPort, actor) -> None:
    """Leads and members of the owning domain remove a port."""
    port = OutputPort.objects.select_related("product__domain").get(pk=port.pk)
    check_team(actor, port.product.domain, "change its data products")
    port.delete()


@transaction.atomic
def tag_save(*, actor, name: str, tag: Tag | None = None) -> Tag:
    """Staff create or rename a tag (products create their tags on the fly)."""
    check_staff(actor, "manage tags")
    names = tag_names([name])
    if not names:
        raise ValidationError({"name": gettext("Give the tag a name (letters, digits, dashes).")})
    clash = Tag.objects.filter(name=names[0])
    if tag is not None:
        clash = clash.exclude(pk=tag.pk)
    if clash.exists():
        raise ValidationError(
            {"name": gettext("The tag %(value)s already exists.") % {"value": repr(names[0])}}
        )
    tag = tag or Tag()
    tag.name = names[0]
    tag.save()
    return tag
