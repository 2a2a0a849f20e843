"""What the files say, format-free: the parsers produce these and the planner compares them with
the catalog. ``None`` means "the file does not say": the catalog's value is kept."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from products.interchange.fields import Reader
from products.models import DataProduct, Domain


@dataclass
class DomainSpec:
    """A domain a file declares (Backstage ``kind: Domain``)."""

    where: str
    slug: str
    name: str
    description: str | None
    owner_ref: str


@dataclass
class PortSpec:
    """An output port: where consumers read the product."""

    kind: str
    location: str
    description: str = ""

    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.location, self.description)


@dataclass
class ConsumerSpec:
    """A domain consuming the product, since when, for what."""

    domain: str
    since: dt.date
    use_case: str = ""


@dataclass
class ProductSpec:
    """A data product a file declares (Backstage ``System`` or ODPS ``DataProduct``)."""

    where: str
    domain: str | None
    key: str
    name: str
    status: str
    slug: str | None = None
    description: str | None = None
    tags: list[str] | None = None
    ports: list[PortSpec] | None = None
    owner_ref: str | None = None
    support_contact: str | None = None
    classification: str | None = None
    contains_pii: bool | None = None
    sunset_on: dt.date | None = None
    consumers: list[ConsumerSpec] | None = None
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass
class ContractSpec:
    """An ODCS data contract attached to the product it names."""

    where: str
    domain: str | None
    product: str
    schema: str | None = None
    freshness_sla_hours: int | None = None
    availability_target: Decimal | None = None
    support_contact: str | None = None


@dataclass
class ParsedCatalog:
    """Everything the files declare, ready to plan."""

    domains: list[DomainSpec] = field(default_factory=list)
    products: list[ProductSpec] = field(default_factory=list)
    contracts: list[ContractSpec] = field(default_factory=list)


def apply_extensions(spec: ProductSpec, values: dict[str, Any], r: Reader, origin: str) -> None:
    """Upstream's own fields (status, slug, classification, PII, sunset, consumers), carried in
    Backstage annotations (strings) or ODPS custom properties; ``origin`` names where, for errors."""
    if "status" in values:
        status = r.get(values, "status", str, choices=tuple(DataProduct.Status.values))
        spec.status = status or spec.status
    if "slug" in values:
        spec.slug = r.get(values, "slug", str)
    if "classification" in values:
        spec.classification = r.get(
            values, "classification", str, choices=tuple(DataProduct.Classification.values)
        )
    if "contains-pii" in values:
        raw = values["contains-pii"]
        raw = {"true": True, "false": False}.get(raw, raw) if isinstance(raw, str) else raw
        spec.contains_pii = r.get({"v": raw}, "v", bool) if not isinstance(raw, bool) else raw
    if "sunset-on" in values:
        try:
            spec.sunset_on = dt.date.fromisoformat(str(values["sunset-on"]))
        except ValueError:
            r.error(f"{origin}.sunset-on", _("Expected a date (YYYY-MM-DD)."))
    if "consumers" in values:
        spec.consumers = _consumers(values["consumers"], r, f"{origin}.consumers")


def _consumers(raw: Any, r: Reader, path: str) -> list[ConsumerSpec] | None:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError:
            r.error(path, _("Expected a JSON list of {domain, since, useCase}."))
            return None
    if not isinstance(raw, list):
        r.error(path, _("Expected a list of {domain, since, useCase}."))
        return None
    consumers = []
    for i, item in enumerate(raw):
        domain = r.get(item, "domain", str, required=True) if isinstance(item, dict) else None
        try:
            since = dt.date.fromisoformat(str(item.get("since")))
        except (AttributeError, ValueError):
            r.error(f"{path}[{i}].since", _("Expected a date (YYYY-MM-DD)."))
            continue
        if domain:
            use_case = r.get(item, "useCase", str) or ""
            consumers.append(ConsumerSpec(domain=domain, since=since, use_case=use_case))
    return consumers


@dataclass
class ProductPlan:
    """One product's future state: the staged row, its tags, ports and consumers."""

    product: DataProduct
    original: DataProduct | None
    where: str
    tags: list[str]
    ports: list[tuple[str, str, str]]
    consumers: list[tuple[str, object, str]]  # (domain slug, since, use case)
    domain_slug: str
    is_new: bool = False
    target: str = ""
    original_state: tuple | None = None


@dataclass
class Plan:
    """What an import will write."""

    new_domains: list[Domain] = field(default_factory=list)
    changed_domains: list[Domain] = field(default_factory=list)
    products: list[ProductPlan] = field(default_factory=list)
