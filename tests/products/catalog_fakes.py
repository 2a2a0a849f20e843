"""Loopback stand-ins for OpenMetadata (REST) and DataHub (GraphQL), answering the documented
response shapes (`{data, paging: {total, after}}`; `data.listDomains` / `data.searchAcrossEntities`
with `start`, `count`, `total`) one entity per page, so every sync follows the paging."""

from __future__ import annotations

import json

from werkzeug import Request, Response

TOKEN = "s3cret-token"


def _json(body, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


def _authorized(request: Request) -> bool:
    return request.headers.get("Authorization") == f"Bearer {TOKEN}"


class OpenMetadata:
    """Domains and data products; ``products`` maps a domain FQN to its products."""

    def __init__(self) -> None:
        self.domains = [
            {
                "id": "a0729e98-e946-4e25-acde-10e8a2294ba1",
                "domainType": "Aggregate",
                "name": "Marketing",
                "fullyQualifiedName": "Marketing",
                "displayName": "Marketing",
                "description": "Campaigns and customers.",
                "owners": [{"id": "t1", "type": "team", "name": "marketing-team"}],
                "version": 0.1,
            },
            {
                "id": "b0729e98-e946-4e25-acde-10e8a2294ba2",
                "domainType": "Source-aligned",
                "name": "Finance",
                "fullyQualifiedName": "Finance",
                "description": "",
                "owners": [],
                "version": 0.1,
            },
        ]
        self.products = {
            "Marketing": [
                self.product("Marketing", "CustomerInsights", "Customer Insights", 1),
                self.product("Marketing", "CampaignResults", "Campaign results", 2),
            ],
            "Finance": [self.product("Finance", "Invoices", "Invoices", 3)],
        }

    @staticmethod
    def product(domain: str, name: str, title: str, n: int) -> dict:
        return {
            "id": f"b1839f98-f046-5f35-bdef-20f9b3395cb{n}",
            "name": name,
            "fullyQualifiedName": f"{domain}.{name}",
            "displayName": title,
            "description": f"Curated {title.lower()}.",
            "version": 0.1,
            "updatedAt": 1769984330261,
            "href": f"http://localhost:8585/api/v1/dataProducts/{n}",
            "domain": {"type": "domain", "name": domain, "fullyQualifiedName": domain},
            "owners": [{"type": "user", "name": "alice", "displayName": "Alice"}],
            "experts": [],
            "assets": [
                {
                    "type": "table",
                    "name": "t",
                    "fullyQualifiedName": f"dwh.{domain}.{name}".lower(),
                },
                {"type": "dashboard", "name": "d", "fullyQualifiedName": "looker.d"},
            ],
            "tags": [{"tagFQN": "PII.None", "source": "Classification"}],
            "deleted": False,
        }

    def handler(self, request: Request) -> Response:
        if not _authorized(request):
            return _json({"code": 401, "message": "Not authorized; token is invalid"}, 401)
        if request.path == "/api/v1/domains":
            items = self.domains
        elif request.path == "/api/v1/dataProducts":
            items = self.products.get(request.args.get("domain", ""), [])
        else:
            return _json({"code": 404, "message": "Not found"}, 404)
        at = int(request.args.get("after") or 0)
        paging = {"total": len(items)}
        if at + 1 < len(items):
            paging["after"] = str(at + 1)
        if at:
            paging["before"] = str(at - 1)
        return _json({"data": items[at : at + 1], "paging": paging})


class DataHub:
    """Domains (``listDomains``) and data products (``searchAcrossEntities``)."""

    def __init__(self) -> None:
        self.domains = [
            {
                "urn": "urn:li:domain:marketing",
                "properties": {"name": "Marketing", "description": "Campaigns."},
                "ownership": {"owners": [{"owner": {"name": "marketing-team"}}]},
            },
            {"urn": "urn:li:domain:9f1c", "properties": {"name": "Finance", "description": None}},
        ]
        self.products = [
            self.product("urn:li:domain:marketing", "Marketing", "Customer 360", "c360"),
            self.product("urn:li:domain:9f1c", "Finance", "Invoices", "invoices"),
        ]

    @staticmethod
    def product(domain_urn: str, domain: str, name: str, key: str) -> dict:
        return {
            "entity": {
                "urn": f"urn:li:dataProduct:{key}",
                "type": "DATA_PRODUCT",
                "properties": {"name": name, "description": f"All about {name}."},
                "domain": {"domain": {"urn": domain_urn, "properties": {"name": domain}}},
                "ownership": {"owners": [{"owner": {"username": "jdoe"}}]},
                "tags": {"tags": [{"tag": {"urn": "urn:li:tag:gold", "properties": None}}]},
            }
        }

    def handler(self, request: Request) -> Response:
        if not _authorized(request):
            return _json({"message": "Unauthorized"}, 401)
        body = json.loads(request.data)
        start, count = body["variables"]["start"], body["variables"]["count"]
        if "listDomains" in body["query"]:
            field, key, items = "listDomains", "domains", self.domains
        elif "searchAcrossEntities" in body["query"] and "DATA_PRODUCT" in body["query"]:
            field, key, items = "searchAcrossEntities", "searchResults", self.products
        else:
            return _json({"errors": [{"message": "Validation error: unknown query"}]})
        page = items[start : start + min(count, 1)]
        return _json(
            {
                "data": {
                    field: {"start": start, "count": len(page), "total": len(items), key: page}
                },
                "extensions": {},
            }
        )
