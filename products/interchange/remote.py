"""Read domains and data products from a running catalog: OpenMetadata's REST API or DataHub's
GraphQL API (bearer token, bounded timeouts and pages). What they answer is mapped to the same
specs the files give, so a sync goes through the same plan, governance and all-or-nothing write.

Keys: an OpenMetadata product is known by ``openmetadata:<id>`` (its UUID survives renames), a
DataHub product by its urn; both are kept as the product's external id.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import requests
from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.errors import DomainError
from products.interchange.report import ImportReport
from products.interchange.sources import limit
from products.interchange.specs import DomainSpec, ParsedCatalog, PortSpec, ProductSpec
from products.models import OutputPort

SOURCES = ("openmetadata", "datahub")
PAGE = 100  # entities asked for per request
# OpenMetadata asset types that are places consumers read from, as output port kinds.
OM_PORT_KINDS = {
    "table": OutputPort.Kind.TABLE,
    "topic": OutputPort.Kind.TOPIC,
    "container": OutputPort.Kind.FILE,
    "apiendpoint": OutputPort.Kind.API,
}


class SourceUnavailable(DomainError):
    """The catalog could not be read: unreachable, refused the token, or answered badly (502)."""

    status_code = 502
    code = "catalog_unavailable"


class Client:
    """A bearer-token JSON client for one catalog; every failure becomes `SourceUnavailable`."""

    def __init__(self, url: str, token: str, timeout: float | None = None) -> None:
        if not url.startswith(("http://", "https://")):
            raise SourceUnavailable(
                _("The catalog URL must start with https:// (or http://); got %(u)r.") % {"u": url}
            )
        self.url = url.rstrip("/")
        self.timeout = timeout or getattr(settings, "CATALOG_SYNC_TIMEOUT", 30)
        self.session = requests.Session()
        self.session.headers.update({"Accept": "application/json"})
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, **kwargs) -> dict:
        """One request; the JSON object it answers."""
        where = f"{self.url}{path}"
        try:
            response = self.session.request(method, where, timeout=self.timeout, **kwargs)
        except requests.Timeout:
            raise SourceUnavailable(
                _("%(u)s did not answer within %(s)s seconds.") % {"u": where, "s": self.timeout}
            ) from None
        except requests.RequestException as exc:
            raise SourceUnavailable(
                _("%(u)s cannot be reached: %(why)s.") % {"u": where, "why": type(exc).__name__}
            ) from None
        if response.status_code in (401, 403):
            raise SourceUnavailable(
                _("%(u)s refused the token (HTTP %(c)s): check the token and its rights.")
                % {"u": where, "c": response.status_code}
            )
        if response.status_code >= 400:
            raise SourceUnavailable(
                _("%(u)s answered HTTP %(c)s; nothing was imported.")
                % {"u": where, "c": response.status_code}
            )
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise SourceUnavailable(_("%(u)s did not answer a JSON object.") % {"u": where})
        return data


def _bad(where: str, what: str) -> SourceUnavailable:
    return SourceUnavailable(
        _("%(u)s answered an unexpected shape: %(what)s.") % {"u": where, "what": what}
    )


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


# --- OpenMetadata -------------------------------------------------------------------------------


def _om_pages(client: Client, path: str, params: dict) -> Iterator[dict]:
    """Every entity of a list endpoint, following ``paging.after`` cursors."""
    after, seen, count = None, set(), 0
    while True:
        query = {**params, "limit": PAGE, **({"after": after} if after else {})}
        page = client.call("GET", path, params=query)
        data, paging = page.get("data"), page.get("paging") or {}
        if not isinstance(data, list) or not isinstance(paging, dict):
            raise _bad(client.url + path, _("expected {data: [...], paging: {...}}"))
        for entity in data:
            if not isinstance(entity, dict):
                raise _bad(client.url + path, _("an entity is not an object"))
            count += 1
            if count > limit("MAX_DOCUMENTS"):
                raise _bad(client.url + path, _("more entities than one import reads"))
            yield entity
        after = paging.get("after")
        if not after:
            return
        if after in seen:
            raise _bad(client.url + path, _("the paging cursor repeats"))
        seen.add(after)


def _om_owner(entity: dict) -> str:
    owners = entity.get("owners")
    if not isinstance(owners, list):  # before OpenMetadata 1.5: one ``owner``
        owners = [entity["owner"]] if isinstance(entity.get("owner"), dict) else []
    for owner in owners:
        if isinstance(owner, dict) and _text(owner.get("name")):
            kind = "group" if owner.get("type") == "team" else _text(owner.get("type")) or "user"
            return f"{kind}:{owner['name']}"
    return ""


def _om_tags(entity: dict) -> list[str] | None:
    if not isinstance(entity.get("tags"), list):
        return None
    fqns = [t.get("tagFQN") for t in entity["tags"] if isinstance(t, dict)]
    return [fqn.replace(".", "-") for fqn in fqns if isinstance(fqn, str)]


def _om_ports(entity: dict) -> list[PortSpec] | None:
    if not isinstance(entity.get("assets"), list):
        return None
    ports = []
    for asset in entity["assets"]:
        kind = (
            OM_PORT_KINDS.get(str(asset.get("type", "")).lower())
            if isinstance(asset, dict)
            else None
        )
        location = _text(asset.get("fullyQualifiedName") or asset.get("name")) if kind else ""
        if kind and location:
            ports.append(PortSpec(kind, location))
    return ports


def openmetadata_catalog(client: Client, report: ImportReport, only: str | None) -> ParsedCatalog:
    """Domains (``GET /api/v1/domains``) and each one's data products (``GET
    /api/v1/dataProducts?domain=FQN``, so the listing holds on every OpenMetadata version)."""
    catalog = ParsedCatalog()
    for domain in _om_pages(client, "/api/v1/domains", {"fields": "owners"}):
        name, fqn = _text(domain.get("name")), _text(domain.get("fullyQualifiedName"))
        where = f"openmetadata:domains/{fqn or name or '?'}"
        if not name:
            report.error(where, "Domain", "name", _("This field is required."))
            continue
        slug = slugify(name)
        if only and slug != only:
            report.skipped["domains"] += 1
            continue
        title = _text(domain.get("displayName")) or name
        catalog.domains.append(
            DomainSpec(where, slug, title, _text(domain.get("description")), _om_owner(domain))
        )
        params = {"domain": fqn or name, "fields": "owners,assets"}
        for product in _om_pages(client, "/api/v1/dataProducts", params):
            spec = _om_product(product, slug, report)
            if spec:
                catalog.products.append(spec)
    return catalog


def _om_product(product: dict, domain: str, report: ImportReport) -> ProductSpec | None:
    uid, name = _text(product.get("id")), _text(product.get("name"))
    where = f"openmetadata:dataProducts/{_text(product.get('fullyQualifiedName')) or name or '?'}"
    if not uid or not name:
        report.error(
            where, "DataProduct", "id" if not uid else "name", _("This field is required.")
        )
        return None
    return ProductSpec(
        where=where,
        domain=domain,
        key=f"openmetadata:{uid}",
        name=_text(product.get("displayName")) or name,
        status="",  # OpenMetadata has no lifecycle: new products start shared, others keep theirs
        description=_text(product.get("description")),
        tags=_om_tags(product),
        ports=_om_ports(product),
        owner_ref=_om_owner(product),
    )


# --- DataHub ------------------------------------------------------------------------------------

_OWNERS = (
    "ownership { owners { owner { ... on CorpUser { username } ... on CorpGroup { name } } } }"
)
DH_DOMAINS = (
    "query upstreamDomains($start: Int!, $count: Int!) {"
    " listDomains(input: {start: $start, count: $count}) { start count total"
    f" domains {{ urn properties {{ name description }} {_OWNERS} }} }} }}"
)
DH_PRODUCTS = (
    "query upstreamDataProducts($start: Int!, $count: Int!) {"
    ' searchAcrossEntities(input: {types: [DATA_PRODUCT], query: "*", start: $start,'
    " count: $count}) { start count total searchResults { entity { urn type"
    " ... on DataProduct { properties { name description }"
    " domain { domain { urn properties { name } } }"
    f" {_OWNERS} tags {{ tags {{ tag {{ urn properties {{ name }} }} }} }} }} }} }} }} }}"
)


def _dh_pages(client: Client, query: str, field: str, items: str) -> Iterator[dict]:
    """Every item of a paged GraphQL list (``start``/``count``/``total``)."""
    start, where = 0, f"{client.url}/api/graphql"
    while True:
        answer = client.call(
            "POST",
            "/api/graphql",
            json={"query": query, "variables": {"start": start, "count": PAGE}},
        )
        errors = answer.get("errors")
        if errors:
            first = errors[0] if isinstance(errors, list) else errors
            first = first.get("message") if isinstance(first, dict) else first
            raise SourceUnavailable(
                _("%(u)s answered a GraphQL error: %(m)s") % {"u": where, "m": first}
            )
        page = (
            (answer.get("data") or {}).get(field) if isinstance(answer.get("data"), dict) else None
        )
        rows = page.get(items) if isinstance(page, dict) else None
        if not isinstance(rows, list) or not isinstance(page.get("total"), int):
            raise _bad(where, _("expected data.%(f)s.{total, %(i)s}") % {"f": field, "i": items})
        for row in rows:
            if not isinstance(row, dict):
                raise _bad(where, _("an entity is not an object"))
            yield row
        start += len(rows)
        if not rows or start >= page["total"]:
            return
        if start > limit("MAX_DOCUMENTS"):
            raise _bad(where, _("more entities than one import reads"))


def _dh_owner(entity: dict) -> str:
    ownership = entity.get("ownership") if isinstance(entity.get("ownership"), dict) else {}
    owners = ownership.get("owners") or []
    for item in owners if isinstance(owners, list) else []:
        owner = item.get("owner") if isinstance(item, dict) else None
        if isinstance(owner, dict):
            if _text(owner.get("username")):
                return f"user:{owner['username']}"
            if _text(owner.get("name")):
                return f"group:{owner['name']}"
    return ""


def _dh_tags(entity: dict) -> list[str] | None:
    tags = (entity.get("tags") or {}).get("tags") if isinstance(entity.get("tags"), dict) else None
    if not isinstance(tags, list):
        return None
    names = []
    for item in tags:
        tag = item.get("tag") if isinstance(item, dict) else None
        if isinstance(tag, dict):
            props = tag.get("properties") if isinstance(tag.get("properties"), dict) else {}
            names.append(_text(props.get("name")) or _text(tag.get("urn")).rsplit(":", 1)[-1])
    return [n for n in names if n]


def _props(entity: dict) -> dict:
    return entity.get("properties") if isinstance(entity.get("properties"), dict) else {}


def datahub_catalog(client: Client, report: ImportReport, only: str | None) -> ParsedCatalog:
    """Domains (``listDomains``) and data products (``searchAcrossEntities`` of DATA_PRODUCT)."""
    catalog = ParsedCatalog()
    names: dict[str, str] = {}  # domain urn → slug
    for domain in _dh_pages(client, DH_DOMAINS, "listDomains", "domains"):
        urn, name = _text(domain.get("urn")), _text(_props(domain).get("name"))
        where = f"datahub:{urn or '?'}"
        if not name:
            report.error(where, "Domain", "properties.name", _("This field is required."))
            continue
        slug = names[urn] = slugify(name)
        if only and slug != only:
            report.skipped["domains"] += 1
            continue
        description = _text(_props(domain).get("description"))
        catalog.domains.append(DomainSpec(where, slug, name, description, _dh_owner(domain)))
    for row in _dh_pages(client, DH_PRODUCTS, "searchAcrossEntities", "searchResults"):
        product = row.get("entity") if isinstance(row.get("entity"), dict) else {}
        urn, name = _text(product.get("urn")), _text(_props(product).get("name"))
        where = f"datahub:{urn or '?'}"
        if not urn or not name:
            field = "urn" if not urn else "properties.name"
            report.error(where, "DataProduct", field, _("This field is required."))
            continue
        holder = product.get("domain") if isinstance(product.get("domain"), dict) else {}
        domain = holder.get("domain") if isinstance(holder.get("domain"), dict) else {}
        listed = _text(domain.get("urn")) in names
        ref = names[domain["urn"].strip()] if listed else _text(_props(domain).get("name"))
        slug = slugify(ref)
        if not slug:
            report.warn(where, f"DataProduct {urn}", "domain", _("No domain; skipped."))
            report.skipped["data_products"] += 1
            continue
        if only and slug != only:
            report.skipped["data_products"] += 1
            continue
        catalog.products.append(
            ProductSpec(
                where=where,
                domain=ref,  # a domain listDomains did not list is created from its name
                key=urn,
                name=name,
                status="",  # DataHub has no lifecycle: new products start shared
                description=_text(_props(product).get("description")),
                tags=_dh_tags(product),
                owner_ref=_dh_owner(product),
            )
        )
    return catalog


def remote_catalog(
    source: str, url: str, token: str, report: ImportReport, only: str | None = None
) -> ParsedCatalog:
    """What the catalog at ``url`` holds (``only``: one domain, by slug), as specs."""
    if source not in SOURCES:
        raise SourceUnavailable(
            _("Unknown catalog %(s)r. Valid choices: %(c)s.")
            % {"s": source, "c": ", ".join(SOURCES)}
        )
    client = Client(url, token)
    read = openmetadata_catalog if source == "openmetadata" else datahub_catalog
    catalog = read(client, report, slugify(only) if only else None)
    if only and not any(d.slug == slugify(only) for d in catalog.domains):
        report.error(source, f"Domain {only}", "domain", _("The catalog has no such domain."))
    return catalog
