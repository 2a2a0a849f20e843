"""The catalog written back as files other tools read: Backstage descriptors or ODPS data
products, ODCS contracts for products with a contract, and Backstage ``Domain`` descriptors for the
domains (ODPS has no domain document). Upstream's own fields ride in annotations and custom
properties, so importing an export reproduces the catalog."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable

import yaml
from django.db.models import Prefetch, QuerySet

from products.interchange.parsers import SCHEMA_TEXT
from products.models import DataProduct, Domain, ProductConsumer

FORMATS = ("backstage", "odps")
BACKSTAGE = "backstage.io/v1alpha1"
ODPS_STATUS = {"shared": "proposed", "incubating": "draft", "product": "active",
               "deprecated": "deprecated"}  # fmt: skip


def export_products() -> QuerySet[DataProduct]:
    """Products with everything an export writes, in a fixed number of queries."""
    consumers = ProductConsumer.objects.select_related("domain").order_by("domain__slug")
    return (
        DataProduct.objects.select_related("domain")
        .prefetch_related("tags", "output_ports", Prefetch("consumers", queryset=consumers))
        .order_by("domain__slug", "slug")
    )


def product_key(product: DataProduct) -> str:
    """The stable key a file carries: the imported one, else ``<domain>-<slug>``."""
    return product.external_id or f"{product.domain.slug}-{product.slug}"


def _extensions(product: DataProduct) -> dict[str, object]:
    values: dict[str, object] = {"status": product.status, "slug": product.slug}
    if product.classification:
        values["classification"] = product.classification
    values["contains-pii"] = product.contains_pii
    if product.sunset_on:
        values["sunset-on"] = product.sunset_on.isoformat()
    consumers = [
        {"domain": c.domain.slug, "since": c.since.isoformat(), "useCase": c.use_case}
        for c in product.consumers.all()
    ]
    if consumers:
        values["consumers"] = consumers
    return values


def domain_doc(domain: Domain) -> dict:
    """A Backstage ``Domain``."""
    metadata = {"name": domain.slug, "title": domain.name}
    if domain.description:
        metadata["description"] = domain.description
    return {"apiVersion": BACKSTAGE, "kind": "Domain", "metadata": metadata,
            "spec": {"owner": domain.owner_ref or f"group:{domain.slug}"}}  # fmt: skip


def backstage_docs(product: DataProduct) -> list[tuple[str, dict]]:
    """A Backstage ``System`` and one ``API`` or ``Resource`` per output port."""
    key = product_key(product)
    annotations = {
        f"upstream/{k}": (
            json.dumps(v) if isinstance(v, list) else str(v).lower() if isinstance(v, bool) else v
        )
        for k, v in _extensions(product).items()
    }
    metadata = {"name": key, "title": product.name, "description": product.description,
                "tags": [t.name for t in product.tags.all()], "annotations": annotations}  # fmt: skip
    owner = product.owner_ref or product.domain.owner_ref or f"group:{product.domain.slug}"
    docs = [(f"systems/{key}.yaml", {"apiVersion": BACKSTAGE, "kind": "System",
             "metadata": metadata, "spec": {"owner": owner, "domain": product.domain.slug}})]  # fmt: skip
    for i, port in enumerate(product.output_ports.all(), start=1):
        name = f"{key}-{port.kind}-{i}"
        meta = {"name": name, "annotations": {"upstream/location": port.location}}
        if port.description:
            meta["description"] = port.description
        spec = {"type": port.kind, "owner": owner, "system": key}
        if port.kind == "api":
            spec.update(lifecycle="production", definition=port.location)
        kind = "API" if port.kind == "api" else "Resource"
        docs.append((f"ports/{name}.yaml", {"apiVersion": BACKSTAGE, "kind": kind,
                                            "metadata": meta, "spec": spec}))  # fmt: skip
    return docs


def odps_doc(product: DataProduct) -> dict:
    """An ODPS ``DataProduct`` (Bitol, v1.0.0)."""
    doc: dict = {"apiVersion": "v1.0.0", "kind": "DataProduct", "id": product_key(product),
                 "name": product.name, "domain": product.domain.slug,
                 "status": ODPS_STATUS[product.status]}  # fmt: skip
    if product.description:
        doc["description"] = {"purpose": product.description}
    doc["tags"] = [t.name for t in product.tags.all()]
    doc["outputPorts"] = [
        {
            "name": f"{product.slug}-{port.kind}-{i}",
            "version": "v1",
            "type": port.kind,
            "description": port.description,
            "customProperties": [{"property": "location", "value": port.location}],
        }  # fmt: skip
        for i, port in enumerate(product.output_ports.all(), start=1)
    ]
    if product.support_contact:
        doc["support"] = [_support(product.support_contact)]
    if product.owner_ref:
        doc["team"] = {"name": product.owner_ref}
    doc["customProperties"] = [
        {"property": "upstream" + "".join(w.title() for w in k.split("-")), "value": v}
        for k, v in _extensions(product).items()
    ]
    return doc


def _support(contact: str) -> dict:
    channel = {"channel": contact}
    if contact.startswith(("http://", "https://", "mailto:")):
        channel["url"] = contact
    return channel


def odcs_doc(product: DataProduct) -> dict | None:
    """An ODCS v3 ``DataContract`` for a product with a contract (schema, SLA or support)."""
    if not (product.schema or product.freshness_sla_hours or product.availability_target):
        return None
    key = product_key(product)
    doc: dict = {"apiVersion": "v3.0.2", "kind": "DataContract", "id": f"{key}-contract",
                 "version": "1.0.0", "status": "active", "domain": product.domain.slug,
                 "dataProduct": key}  # fmt: skip
    if product.schema:
        doc["schema"] = _schema(product)
    sla = []
    if product.freshness_sla_hours:
        sla.append({"property": "latency", "value": product.freshness_sla_hours, "unit": "h"})
    if product.availability_target is not None:
        sla.append({"property": "availability", "value": float(product.availability_target)})
    if sla:
        doc["slaProperties"] = sla
    if product.support_contact:
        doc["support"] = [_support(product.support_contact)]
    return doc


def _schema(product: DataProduct) -> list:
    try:
        parsed = yaml.safe_load(product.schema)
    except yaml.YAMLError:
        parsed = None
    if isinstance(parsed, list) and parsed and all(isinstance(o, dict) for o in parsed):
        return parsed
    text = {"property": SCHEMA_TEXT, "value": product.schema}
    return [{"name": product.slug, "customProperties": [text]}]


def catalog_documents(
    fmt: str, products: Iterable[DataProduct], domains: Iterable[Domain]
) -> list[tuple[str, dict]]:
    """(path, document) for every domain and product, in the format asked."""
    docs = [(f"domains/{d.slug}.yaml", domain_doc(d)) for d in domains]
    for product in products:
        if fmt == "backstage":
            docs.extend(backstage_docs(product))
        else:
            docs.append((f"products/{product_key(product)}.odps.yaml", odps_doc(product)))
        contract = odcs_doc(product)
        if contract:
            docs.append((f"contracts/{product_key(product)}.odcs.yaml", contract))
    return docs


def dump(doc: dict) -> str:
    """One document as YAML (keys in the order written)."""
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def as_yaml(docs: list[tuple[str, dict]]) -> bytes:
    """All documents in one multi-document YAML file."""
    return "---\n".join(dump(doc) for _path, doc in docs).encode()


def as_zip(docs: list[tuple[str, dict]]) -> bytes:
    """A .zip with one file per entity."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path, doc in docs:
            # A fixed timestamp: the same catalog exports to the same bytes.
            archive.writestr(zipfile.ZipInfo(path, date_time=(2000, 1, 1, 0, 0, 0)), dump(doc))
    return buffer.getvalue()


def catalog_export(*, fmt: str, bundle: str = "zip") -> bytes:
    """The whole catalog (every domain and product) as a .zip or one multi-document YAML."""
    docs = catalog_documents(fmt, export_products(), Domain.objects.order_by("slug"))
    return as_zip(docs) if bundle == "zip" else as_yaml(docs)
