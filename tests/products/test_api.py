"""The catalog API: roles × actions, filters, ordering, query counts, schema and probes."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.templatetags.static import static
from django.test.utils import CaptureQueriesContext

from products import access, services
from products.models import DataProduct, Tag
from tests import factories

pytestmark = pytest.mark.django_db
PRODUCTS = "/api/v1/data-products/"
DOMAINS = "/api/v1/domains/"


@pytest.fixture
def product(target_domain):
    return factories.DataProductFactory(domain=target_domain, name="Payment events")


# --- roles × actions -------------------------------------------------------------------------

ROLES = ["anonymous", "requester", "other_lead", "lead", "member", "staff"]
TEAM = {"lead", "member", "staff"}


def _actor(request, role):
    return None if role == "anonymous" else request.getfixturevalue(role)


def _call(client, action, target_domain, product):
    if action == "list":
        return client.get(PRODUCTS)
    if action == "retrieve":
        return client.get(f"{PRODUCTS}{product.pk}/")
    if action == "create":
        return client.post(PRODUCTS, {"domain": target_domain.slug, "name": "New"}, format="json")
    if action == "update":
        return client.patch(f"{PRODUCTS}{product.pk}/", {"description": "More"}, format="json")
    if action == "status change":
        return client.patch(f"{PRODUCTS}{product.pk}/", {"status": "incubating"}, format="json")
    if action == "domain update":
        return client.patch(
            f"{DOMAINS}{target_domain.slug}/", {"description": "Ours"}, format="json"
        )
    raise AssertionError(action)


def _expected(role, action):
    if role == "anonymous":
        return 401
    if action in ("list", "retrieve"):
        return 200
    if action == "domain update":
        return 200 if role in ("lead", "staff") else 403
    if role in TEAM:
        return 201 if action == "create" else 200
    return 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "action", ["list", "retrieve", "create", "update", "status change", "domain update"]
)
def test_each_role_may_do_exactly_what_the_roles_table_says(
    request, api_as, role, action, target_domain, product
):
    response = _call(api_as(_actor(request, role)), action, target_domain, product)
    assert response.status_code == _expected(role, action), response.json()
    if response.status_code in (401, 403):
        assert response.json()["detail"]


def test_staff_create_a_domain_and_a_lead_may_not(api_as, staff, lead):
    assert api_as(lead).post(DOMAINS, {"name": "Jobs"}, format="json").status_code == 403
    response = api_as(staff).post(
        DOMAINS,
        {"name": "Jobs", "leads": ["lead"], "contact_email": "jobs@example.com"},
        format="json",
    )
    assert response.status_code == 201
    assert (response.json()["slug"], response.json()["leads"]) == ("jobs", ["lead"])


def test_a_lead_cannot_change_who_leads_their_domain(api_as, lead, target_domain, member):
    response = api_as(lead).patch(
        f"{DOMAINS}{target_domain.slug}/", {"leads": ["member"]}, format="json"
    )
    assert response.status_code == 403
    assert "Only staff may change a domain's leads" in response.json()["detail"]


def test_domains_are_read_by_slug_and_unknown_slugs_answer_404(api_as, requester, target_domain):
    client = api_as(requester)
    assert client.get(f"{DOMAINS}payments/").json()["name"] == "Payments"
    response = client.get(f"{DOMAINS}nowhere/")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_an_unknown_product_id_answers_404(api_as, requester):
    assert api_as(requester).get(f"{PRODUCTS}999999/").status_code == 404


# --- writing through the API ----------------------------------------------------------------


def test_a_member_publishes_a_product_with_ports_and_tags(api_as, member, target_domain):
    response = api_as(member).post(
        PRODUCTS,
        {
            "domain": "payments",
            "name": "Refunds daily",
            "tags": ["Finance", "gdpr"],
            "output_ports": [{"kind": "table", "location": "dwh.payments.refunds"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["slug"], body["status"], body["tags"]) == (
        "refunds-daily",
        "shared",
        ["finance", "gdpr"],
    )
    assert [p["kind"] for p in body["output_ports"]] == ["table"]
    assert [c["to_status"] for c in body["status_history"]] == ["shared"]


def test_promoting_without_an_sla_answers_400_naming_the_field(api_as, member, product):
    response = api_as(member).patch(
        f"{PRODUCTS}{product.pk}/", {"status": "product"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert "freshness_sla_hours" in body["errors"]
    assert body["detail"].startswith(("support_contact", "freshness_sla_hours"))


def test_promoting_with_the_contract_in_the_same_request_works(api_as, member, product):
    response = api_as(member).patch(
        f"{PRODUCTS}{product.pk}/",
        {
            "status": "product",
            "support_contact": "#pay",
            "freshness_sla_hours": 6,
            "note": "Agreed",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status_history"][-1]["note"] == "Agreed"


def test_moving_back_from_deprecated_answers_400_with_no_allowed_status(api_as, member, product):
    services.product_update(
        product=product, actor=member, status="deprecated", sunset_on=dt.date(2031, 1, 1)
    )
    response = api_as(member).patch(f"{PRODUCTS}{product.pk}/", {"status": "shared"}, format="json")
    assert response.status_code == 400
    assert response.json()["allowed_actions"] == []


def test_a_product_cannot_move_to_another_domain(api_as, member, product, requesting_domain):
    response = api_as(member).patch(f"{PRODUCTS}{product.pk}/", {"domain": "search"}, format="json")
    assert response.status_code == 400
    assert "stays in its domain" in response.json()["detail"]


def test_the_consuming_team_registers_and_unregisters_through_the_api(api_as, requester, product):
    client = api_as(requester)
    response = client.post(
        f"{PRODUCTS}{product.pk}/consumers/",
        {"domain": "search", "use_case": "Ranking"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["consumers"][0]["domain"]["slug"] == "search"
    assert client.delete(f"{PRODUCTS}{product.pk}/consumers/search/").status_code == 204


# --- filters (one line each) ----------------------------------------------------------------


@pytest.fixture
def catalog(target_domain, requesting_domain):
    gdpr = Tag.objects.create(name="gdpr")
    a = factories.DataProductFactory(
        domain=target_domain,
        name="Card payments",
        description="Every card charge",
        contains_pii=True,
    )
    a.tags.add(gdpr)
    factories.DataProductFactory(
        domain=target_domain, name="Payouts", status="incubating", classification="confidential"
    )
    factories.DataProductFactory(
        domain=requesting_domain,
        name="Search clicks",
        description="Clicks on results",
        status="product",
    )
    Tag.objects.create(name="unused")


def names(response):
    assert response.status_code == 200, response.json()
    return sorted(p["name"] for p in response.json()["results"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("domain=payments", ["Card payments", "Payouts"]),
        ("status=incubating", ["Payouts"]),
        ("classification=confidential", ["Payouts"]),
        ("tag=gdpr", ["Card payments"]),
        ("pii=true", ["Card payments"]),
        ("pii=false", ["Payouts", "Search clicks"]),
        ("q=clicks", ["Search clicks"]),
        ("q=charge", ["Card payments"]),
        ("domain=payments&status=shared", ["Card payments"]),
    ],
)
def test_each_catalog_filter_narrows_the_list(api_as, requester, catalog, query, expected):
    assert names(api_as(requester).get(f"{PRODUCTS}?{query}")) == expected


@pytest.mark.parametrize(
    ("query", "valid"),
    [
        ("status=retired", "shared, incubating, product, deprecated"),
        ("classification=secret", "public, internal, confidential, restricted"),
        ("domain=nowhere", "payments, search"),
        ("tag=nope", "gdpr, unused"),
        ("pii=maybe", "true, false"),
        ("ordering=colour", "name, -name, status, -status, updated_at, -updated_at"),
    ],
)
def test_an_unknown_filter_value_answers_400_naming_the_valid_choices(
    api_as, requester, catalog, query, valid
):
    response = api_as(requester).get(f"{PRODUCTS}?{query}")
    assert response.status_code == 400
    field = query.split("=")[0]
    assert response.json()["detail"].startswith(f"{field}: Unknown value")
    assert f"Valid choices: {valid}." in response.json()["detail"]


def test_domains_are_searched_by_name_or_description(
    api_as, requester, target_domain, requesting_domain
):
    response = api_as(requester).get(f"{DOMAINS}?q=pay")
    assert [d["slug"] for d in response.json()["results"]] == ["payments"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("name", ["Card payments", "Payouts", "Search clicks"]),
        ("-name", ["Search clicks", "Payouts", "Card payments"]),
        ("status,name", ["Payouts", "Search clicks", "Card payments"]),
    ],
)
def test_the_catalog_is_ordered_on_request(api_as, requester, catalog, ordering, expected):
    response = api_as(requester).get(f"{PRODUCTS}?ordering={ordering}")
    assert [p["name"] for p in response.json()["results"]] == expected


def test_ordering_by_last_update_puts_the_freshest_first(api_as, member, catalog):
    payouts = DataProduct.objects.get(name="Payouts")
    services.product_update(product=payouts, actor=member, description="Fresh")
    response = api_as(member).get(f"{PRODUCTS}?ordering=-updated_at")
    assert response.json()["results"][0]["name"] == "Payouts"


def test_the_list_is_paginated_without_a_count(api_as, requester, catalog):
    body = api_as(requester).get(f"{PRODUCTS}?page_size=2&ordering=name").json()
    assert set(body) == {"next", "previous", "results"}
    assert len(body["results"]) == 2
    assert "page=2" in body["next"]


# --- query counts ---------------------------------------------------------------------------


def _build(domain, consumer_domain, n):
    """``n`` more products (tagged, with a port and a consumer) and ``n`` more domains with a
    lead and a member each, so both lists grow with everything their rows show."""
    tag = Tag.objects.get_or_create(name="core")[0]
    for _ in range(n):
        product = factories.DataProductFactory(domain=domain)
        product.tags.add(tag)
        factories.OutputPortFactory(product=product)
        product.consumers.create(domain=consumer_domain, since=dt.date(2026, 1, 1))
        extra = factories.DomainFactory()
        extra.leads.add(factories.UserFactory())
        extra.members.add(factories.UserFactory())
        factories.DataProductFactory(domain=extra)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response


@pytest.mark.parametrize("url", [PRODUCTS, DOMAINS])
def test_list_queries_stay_constant_when_the_catalog_grows(
    api_as, requester, target_domain, requesting_domain, url, django_assert_max_num_queries
):
    client = api_as(requester)
    _build(target_domain, requesting_domain, 2)
    small, _ = _count(client, url)
    _build(target_domain, requesting_domain, 18)
    access.forget(requester)  # the same user object caches its domains; count them again
    with django_assert_max_num_queries(6):
        big, response = _count(api_as(requester), url)
    assert big == small
    assert len(response.json()["results"]) >= 20


def test_a_product_page_in_the_api_costs_a_fixed_number_of_queries(
    api_as, requester, product, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        assert api_as(requester).get(f"{PRODUCTS}{product.pk}/").status_code == 200


# --- schema and probes ----------------------------------------------------------------------


def test_the_openapi_schema_of_the_whole_project_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/v1/data-products/" in out.read_text()


def test_the_schema_and_docs_are_served(client, requester):
    client.force_login(requester)
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    # Under the CSP (no inline script or style) Swagger UI runs from files on our own origin.
    assert not re.search(r"<script>|<style", html)
    assert static("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js") in html
    assert '<script src="/api/docs/?script="></script>' in html
    init = client.get("/api/docs/?script=")
    assert init.status_code == 200
    assert init["Content-Type"].startswith("application/javascript")
    assert 'url: "/api/schema/"' in init.content.decode()


def test_healthz_answers_ok_in_json(client):
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readyz_checks_the_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["checks"]["database"] == "ok"
