"""Detect each document's format from its content and map it to specs (DESIGN "Catalog
interchange"): Backstage descriptors, ODPS data products, ODCS v3 data contracts."""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from django.utils.text import slugify
from django.utils.translation import gettext as _
from open_data_contract_standard.model import OpenDataContractStandard
from pydantic import ValidationError as PydanticError

from products.interchange.fields import ANNOTATION, EXTENSIONS, Reader, entity_ref_name
from products.interchange.report import ImportReport
from products.interchange.sources import Document
from products.interchange.specs import (
    ContractSpec,
    DomainSpec,
    ParsedCatalog,
    PortSpec,
    ProductSpec,
    apply_extensions,
)
from products.models import DataProduct, OutputPort

S = DataProduct.Status
ODPS_STATUS = {
    "proposed": S.INCUBATING,
    "draft": S.INCUBATING,
    "active": S.PRODUCT,
    "deprecated": S.DEPRECATED,
    "retired": S.DEPRECATED,
}
PORT_KINDS = {
    **{k: OutputPort.Kind.TABLE for k in ("table", "tables", "database", "dataset", "view")},
    **{k: OutputPort.Kind.TOPIC for k in ("topic", "topics", "stream", "kafka-topic", "events")},
    **{k: OutputPort.Kind.API for k in ("api", "apis", "rest", "graphql", "openapi", "grpc")},
    **{k: OutputPort.Kind.FILE for k in ("file", "files", "s3-bucket", "bucket", "objects")},
}
BACKSTAGE_KINDS = ("Domain", "System", "API", "Resource")
SCHEMA_TEXT = "upstreamSchemaText"  # an ODCS custom property holding a free-text schema


def parse_documents(documents: list[Document], report: ImportReport, default_domain: str | None):
    """Specs for every document; unknown kinds are skipped and counted by kind."""
    catalog = ParsedCatalog()
    ports: list[tuple[str, str, PortSpec]] = []  # (where, system name, port)
    for doc in documents:
        data = doc.data
        if not isinstance(data, dict):
            report.error(doc.where, "", "", _("Expected an object (a mapping) at the top level."))
            continue
        kind = data.get("kind")
        api_version = str(data.get("apiVersion", ""))
        if api_version.startswith("backstage.io/") and kind in BACKSTAGE_KINDS:
            _backstage(doc, data, report, default_domain, catalog, ports)
        elif kind == "DataProduct" and not api_version.startswith("backstage.io/"):
            spec = _odps(doc, data, report, default_domain)
            if spec:
                catalog.products.append(spec)
        elif kind == "DataContract":
            contract = _odcs(doc, data, report, default_domain)
            if contract:
                catalog.contracts.append(contract)
        else:
            label = str(kind) if isinstance(kind, str) and kind else "unknown"
            report.skipped[label] += 1
    _attach_ports(catalog, ports, report)
    return catalog


# --- Backstage ----------------------------------------------------------------------------------


def _backstage(doc, data, report, default_domain, catalog, ports) -> None:
    kind = data["kind"]
    name = data.get("metadata", {}).get("name") if isinstance(data.get("metadata"), dict) else None
    r = Reader(report, doc.where, f"{kind} {name or '?'}")
    name = r.get(data, "metadata.name", str, required=True)
    r.get(data, "metadata", dict, required=True)
    title = r.get(data, "metadata.title", str)
    description = r.get(data, "metadata.description", str)  # absent: keep what Upstream has
    tags = r.strings(data, "metadata.tags")
    annotations = r.get(data, "metadata.annotations", dict) or {}
    spec = r.get(data, "spec", dict) or {}
    owner = r.get(spec, "owner", str) or ""
    if not name:
        return
    if kind == "Domain":
        slug = slugify(name)
        catalog.domains.append(DomainSpec(doc.where, slug, title or name, description, owner))
        return
    if kind == "System":
        domain_ref = r.get(spec, "domain", str)
        product = ProductSpec(
            where=doc.where,
            domain=entity_ref_name(domain_ref) if domain_ref else default_domain,
            key=name,
            name=title or name,
            status=S.SHARED,
            slug=name,
            description=description,
            tags=tags if tags is not None else [],
            owner_ref=owner,
        )
        values = {
            k: annotations[ANNOTATION + k] for k in EXTENSIONS if ANNOTATION + k in annotations
        }
        apply_extensions(product, values, r, "metadata.annotations")
        catalog.products.append(product)
        return
    system = r.get(spec, "system", str)
    if not system:
        r.warn(
            "spec.system",
            _("An %(kind)s without spec.system is not a port of any product; skipped.")
            % {"kind": kind},
        )
        report.skipped[kind] += 1
        return
    port_type = r.get(spec, "type", str) or ""
    port_kind = OutputPort.Kind.API if kind == "API" else PORT_KINDS.get(port_type.lower(), "table")
    location = annotations.get(ANNOTATION + "location") or title or name
    ports.append(
        (doc.where, entity_ref_name(system), PortSpec(port_kind, str(location), description or ""))
    )


def _attach_ports(catalog: ParsedCatalog, ports, report: ImportReport) -> None:
    by_key = {p.key: p for p in catalog.products}
    for where, system, port in ports:
        product = by_key.get(system)
        if product is None:
            report.warn(
                where,
                f"port {port.location}",
                "spec.system",
                _("System %(s)s is not in this import; the port was skipped.") % {"s": system},
            )
            report.skipped["output_ports"] += 1
            continue
        if product.ports is None:
            product.ports = []
        product.ports.append(port)


# --- ODPS ---------------------------------------------------------------------------------------


def _odps(doc, data, report, default_domain) -> ProductSpec | None:
    """An ODPS data product. No maintained package ships the standard's schema, so every field
    Upstream reads is checked here (type, required, enum) from the standard's documentation."""
    r = Reader(report, doc.where, f"DataProduct {data.get('id') or data.get('name') or '?'}")
    before = len(report.errors)
    r.get(data, "apiVersion", str, required=True)
    key = r.get(data, "id", str, required=True)
    status = r.get(data, "status", str, required=True, choices=tuple(ODPS_STATUS))
    name = r.get(data, "name", str) or key
    domain = r.get(data, "domain", str) or default_domain
    tags = r.strings(data, "tags")
    description = None
    if "description" in data and r.get(data, "description", dict) is not None:
        parts = [
            (label, r.get(data, f"description.{part}", str))
            for part, label in (
                ("purpose", ""),
                ("usage", "Usage: "),
                ("limitations", "Limitations: "),
            )
        ]
        description = "\n\n".join(f"{label}{text.strip()}" for label, text in parts if text)
    ports = None
    if "outputPorts" in data:
        ports = []
        for i, port in enumerate(r.objects(data, "outputPorts") or []):
            path = f"outputPorts[{i}]"
            port_name = r.get(port, "name", str, required=True)
            port_type = (r.get(port, "type", str) or "table").lower()
            if port_type not in PORT_KINDS:
                r.error(
                    f"{path}.type",
                    _("Unknown port type %(t)r. Valid choices: %(c)s.")
                    % {"t": port_type, "c": ", ".join(sorted(PORT_KINDS))},
                )
                continue
            custom = _custom_properties(r, port, f"{path}.customProperties")
            location = custom.get("location") or port_name
            if port_name:
                ports.append(
                    PortSpec(
                        PORT_KINDS[port_type], str(location), r.get(port, "description", str) or ""
                    )
                )
    support = _support(r, data)
    owner = _odps_owner(r, data)
    if not domain:
        r.error("domain", _("Say which domain owns it: a domain field, or the domain parameter."))
    if len(report.errors) > before or not key or not status:
        return None
    spec = ProductSpec(
        where=doc.where,
        domain=domain,
        key=key,
        name=name,
        status=ODPS_STATUS[status],
        description=description,
        tags=tags,
        ports=ports,
        owner_ref=owner,
        support_contact=support,
    )
    apply_extensions(spec, _custom_properties(r, data, "customProperties"), r, "customProperties")
    return spec


def _custom_properties(r: Reader, obj: dict, path: str) -> dict[str, Any]:
    """Custom properties by name: ``upstreamContainsPii`` → ``contains-pii``; others as named."""
    values: dict[str, Any] = {}
    items = r.get(obj, "customProperties", list) or []
    for i, item in enumerate(items):
        prop = item.get("property") if isinstance(item, dict) else None
        if not isinstance(prop, str):
            r.error(f"{path}[{i}].property", _("Expected a string."))
            continue
        if prop.startswith("upstream"):
            prop = slugify(re.sub(r"(?<!^)([A-Z])", r"-\1", prop.removeprefix("upstream")))
        values[prop] = item.get("value")
    return values


def _support(r: Reader, data: dict) -> str | None:
    channels = r.objects(data, "support")
    if not channels:
        return None if channels is None else ""
    first = channels[0]
    return r.get(first, "url", str) or r.get(first, "channel", str) or ""


def _odps_owner(r: Reader, data: dict) -> str | None:
    team = data.get("team")
    if isinstance(team, dict):
        return r.get(team, "name", str) or r.get(team, "id", str) or ""
    if isinstance(team, list):
        members = [m for m in team if isinstance(m, dict)]
        return str(members[0].get("username") or members[0].get("name") or "") if members else ""
    if team is not None:
        r.error("team", _("Expected an object (or a list of members)."))
    return None


# --- ODCS ---------------------------------------------------------------------------------------


def _odcs(doc, data, report, default_domain) -> ContractSpec | None:
    """An ODCS v3 contract, validated by the standard's pydantic model."""
    r = Reader(report, doc.where, f"DataContract {data.get('id') or '?'}")
    before = len(report.errors)
    try:
        contract = OpenDataContractStandard.model_validate(data)
    except PydanticError as exc:
        for err in exc.errors():
            r.error(".".join(str(p) for p in err["loc"]), err["msg"])
        return None
    if not str(contract.apiVersion).startswith("v3"):
        r.error("apiVersion", _("Only ODCS v3 contracts are read (apiVersion v3.x)."))
        return None
    if not contract.dataProduct:
        r.error("dataProduct", _("Name the data product this contract belongs to."))
        return None
    spec = ContractSpec(doc.where, contract.domain or default_domain, contract.dataProduct)
    if data.get("schema"):
        spec.schema = _schema_text(data["schema"])
    for i, sla in enumerate(contract.slaProperties or []):
        prop = (sla.property or "").lower()
        if prop in ("freshness", "latency"):
            spec.freshness_sla_hours = _hours(r, sla, f"slaProperties[{i}]")
        elif prop == "availability":
            try:
                spec.availability_target = Decimal(str(sla.value).rstrip("%").strip())
            except InvalidOperation:
                r.error(f"slaProperties[{i}].value", _("Expected a percentage, e.g. 99.5."))
    if contract.support:
        first = contract.support[0]
        spec.support_contact = first.url or first.channel or ""
    return None if len(report.errors) > before else spec


def _schema_text(schema: Any) -> str:
    """The contract's schema as text: a free-text schema round-trips through one custom property."""
    if isinstance(schema, list) and len(schema) == 1 and isinstance(schema[0], dict):
        for prop in schema[0].get("customProperties") or []:
            if isinstance(prop, dict) and prop.get("property") == SCHEMA_TEXT:
                return str(prop.get("value") or "")
    return yaml.safe_dump(schema, sort_keys=False, allow_unicode=True)


def _hours(r: Reader, sla, path: str) -> int | None:
    units = {
        "h": 1,
        "hr": 1,
        "hour": 1,
        "hours": 1,
        "d": 24,
        "day": 24,
        "days": 24,
        "m": 1 / 60,
        "min": 1 / 60,
        "minute": 1 / 60,
        "minutes": 1 / 60,
    }
    unit = (sla.unit or "h").lower()
    if unit not in units:
        r.error(f"{path}.unit", _("Unknown unit %(u)r. Valid choices: h, d, min.") % {"u": unit})
        return None
    try:
        value = float(sla.value)
    except (TypeError, ValueError):
        r.error(f"{path}.value", _("Expected a number."))
        return None
    return max(1, math.ceil(value * units[unit]))
