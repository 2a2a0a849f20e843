"""Catalog pages and admin: what a signed-in user sees, what an anonymous visitor is sent to."""

import pytest
from django.urls import reverse

from products import services
from products.models import DataProduct, ProductStatusChange
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(target_domain, member):
    product = services.product_create(
        actor=member,
        domain=target_domain,
        name="Payment events",
        description="Every payment state change.",
        tags="finance",
        output_ports=[{"kind": "topic", "location": "payments.events.v2"}],
    )
    return product


def page_urls(product):
    return [
        reverse("products:domain-list"),
        reverse("products:domain-detail", args=["payments"]),
        reverse("products:product-list"),
        reverse("products:product-list") + "?q=payment&status=shared&pii=false",
        reverse("products:product-detail", args=[product.pk]),
        reverse("products:product-create") + "?domain=payments",
        reverse("products:product-edit", args=[product.pk]),
        reverse("home"),
    ]


def test_every_catalog_page_answers_a_signed_in_member(client, member, product):
    client.force_login(member)
    for url in page_urls(product):
        assert client.get(url).status_code == 200, url


def test_every_catalog_page_sends_an_anonymous_visitor_to_sign_in(client, product):
    for url in page_urls(product):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"], url


def test_the_domain_list_shows_every_domain_with_its_leads(client, requester, product, lead):
    client.force_login(requester)
    page = client.get(reverse("products:domain-list")).content.decode()
    assert "Payments" in page
    assert "Search" in page
    assert lead.get_full_name() in page
    searched = client.get(reverse("products:domain-list") + "?q=pay").content.decode()
    assert "Payments" in searched
    assert ">Search</a>" not in searched


def test_the_catalog_lists_the_product_with_its_domain_and_status(client, requester, product):
    client.force_login(requester)
    page = client.get(reverse("products:product-list")).content.decode()
    assert "Payment events" in page
    assert "Payments" in page
    assert "status-shared" in page


def test_an_unknown_filter_value_on_the_catalog_page_is_explained(client, requester, product):
    client.force_login(requester)
    response = client.get(reverse("products:product-list") + "?status=retired")
    assert response.status_code == 400
    assert "Valid choices: shared, incubating, product, deprecated" in response.content.decode()


def test_the_htmx_search_answers_only_the_results(client, requester, product):
    client.force_login(requester)
    response = client.get(reverse("products:product-list") + "?q=payment", HTTP_HX_REQUEST="true")
    assert b"Payment events" in response.content
    assert b"<html" not in response.content


def test_the_product_page_shows_ports_history_and_the_requests_it_delivered(
    client, requester, product, lead, target_domain
):
    cycle = factories.CycleFactory()
    from requests_app import services as requests

    request = requests.request_create(
        actor=requester,
        title="Payments per listing",
        business_need="Seller dashboard",
        target_domain=target_domain,
        needed_by_cycle=cycle,
        submit=True,
    )
    request = requests.request_accept(
        data_request=request, actor=lead, planned_cycle=cycle, effort=3
    )
    request = requests.request_start(data_request=request, actor=lead)
    requests.request_deliver(data_request=request, actor=lead, delivered_product=product)
    client.force_login(requester)
    page = client.get(product.get_absolute_url()).content.decode()
    assert "payments.events.v2" in page
    assert "published → shared" in page
    assert f"DR-{request.pk} Payments per listing" in page
    assert "Edit</a>" not in page  # the requester is not in the domain


def test_the_domain_page_shows_people_contact_products_and_capacity(
    client, requester, product, lead, member
):
    factories.CycleFactory(starts_on=__import__("datetime").date.today().replace(day=1))
    client.force_login(requester)
    page = client.get(reverse("products:domain-detail", args=["payments"])).content.decode()
    assert "@lead" in page
    assert "payments@example.com" in page
    assert "Payment events" in page
    # The same wording as the board's (one capacity bar, partials/capacity_bar.html).
    assert "<strong>0</strong> of <strong>20</strong> effort points committed" in page
    assert "20 left" in page
    assert "Publish a data product" not in page


def test_the_publish_form_shows_the_governance_error_next_to_the_field(client, member):
    client.force_login(member)
    url = reverse("products:product-create")
    form = {
        "domain": factories.DomainFactory(slug="payments").pk,
        "name": "Chargebacks",
        "status": "product",
        "description": "Disputed charges.",
        "classification": "internal",
        "support_contact": "#payments",
        "ports-TOTAL_FORMS": "1",
        "ports-INITIAL_FORMS": "0",
        "ports-0-kind": "table",
        "ports-0-location": "",
    }
    response = client.post(url, form)
    assert response.status_code == 400
    html = response.content.decode()
    assert "A product needs a freshness SLA" in html
    assert html.index("A product needs a freshness SLA") > html.index('name="freshness_sla_hours"')
    response = client.post(url, {**form, "freshness_sla_hours": "24"})
    product = DataProduct.objects.get(name="Chargebacks")
    assert response.status_code == 302
    assert response["Location"] == product.get_absolute_url()
    assert product.status == "product"


def test_the_edit_form_changes_ports_and_status(client, member, product):
    client.force_login(member)
    port = product.output_ports.get()
    response = client.post(
        reverse("products:product-edit", args=[product.pk]),
        {
            "name": product.name,
            "description": product.description,
            "status": "incubating",
            "note": "Backfilled",
            "classification": "internal",
            "tags": "finance, ledger",
            "ports-TOTAL_FORMS": "2",
            "ports-INITIAL_FORMS": "1",
            "ports-0-id": port.pk,
            "ports-0-kind": "topic",
            "ports-0-location": "payments.events.v3",
            "ports-1-kind": "table",
            "ports-1-location": "dwh.payments.events",
        },
    )
    assert response.status_code == 302, response.content.decode()
    product.refresh_from_db()
    assert product.status == "incubating"
    assert sorted(product.output_ports.values_list("location", flat=True)) == [
        "dwh.payments.events",
        "payments.events.v3",
    ]
    assert product.status_history.last().note == "Backfilled"


def test_a_refused_status_move_is_shown_at_the_status_field(client, member, product):
    client.force_login(member)
    services.product_set_status(product=product, actor=member, status="incubating")
    response = client.post(
        reverse("products:product-edit", args=[product.pk]),
        {
            "name": product.name,
            "status": "shared",
            "ports-TOTAL_FORMS": "0",
            "ports-INITIAL_FORMS": "0",
        },
    )
    # "shared" is not even offered once incubating: the form refuses it before the service.
    assert response.status_code == 400
    assert "not one of the available choices" in response.content.decode()


def test_someone_outside_the_domain_cannot_open_the_edit_page(client, requester, product):
    client.force_login(requester)
    assert client.get(reverse("products:product-edit", args=[product.pk])).status_code == 403


def test_the_publish_page_tells_someone_without_a_domain_whom_to_ask(client):
    client.force_login(factories.UserFactory())
    page = client.get(reverse("products:product-create")).content.decode()
    assert "not a lead or member of any domain" in page


def test_the_home_page_lists_your_domains_with_a_publish_link(client, lead, product):
    client.force_login(lead)
    page = client.get(reverse("home")).content.decode()
    assert "Your domains" in page
    assert "1 data product" in page
    assert reverse("products:product-create") + "?domain=payments" in page


def test_the_home_page_has_no_domain_section_for_someone_without_a_domain(client):
    client.force_login(factories.UserFactory())
    assert "Your domains" not in client.get(reverse("home")).content.decode()


def test_every_input_of_the_publish_form_has_a_label(client, member):
    client.force_login(member)
    html = client.get(reverse("products:product-create")).content.decode()
    import re

    ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html)
    hidden = set(re.findall(r'<input type="hidden"[^>]*\bid="([^"]+)"', html))
    for field_id in set(ids) - hidden:
        assert f'for="{field_id}"' in html, field_id


# --- admin goes through the services ---------------------------------------------------------


def test_the_admin_refuses_a_product_without_an_sla_inline(admin_client_as_staff, product):
    response = admin_client_as_staff.post(
        reverse("admin:products_dataproduct_change", args=[product.pk]),
        {
            "name": product.name,
            "slug": product.slug,
            "description": product.description,
            "status": "product",
            "classification": "internal",
            "support_contact": "#pay",
            **_empty_inlines(),
        },
    )
    assert response.status_code == 200
    assert "A product needs a freshness SLA" in response.content.decode()


def test_a_status_change_in_the_admin_is_recorded_like_anywhere_else(
    admin_client_as_staff, product, staff
):
    response = admin_client_as_staff.post(
        reverse("admin:products_dataproduct_change", args=[product.pk]),
        {
            "name": product.name,
            "slug": product.slug,
            "description": product.description,
            "status": "incubating",
            "classification": "internal",
            **_empty_inlines(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    last = ProductStatusChange.objects.filter(product=product).last()
    assert (last.to_status, last.actor) == ("incubating", staff)


def test_publishing_in_the_admin_writes_the_first_history_row(admin_client_as_staff, target_domain):
    response = admin_client_as_staff.post(
        reverse("admin:products_dataproduct_add"),
        {
            "domain": target_domain.pk,
            "name": "Ledger",
            "slug": "ledger",
            "status": "shared",
            "classification": "",
            **_empty_inlines(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert DataProduct.objects.get(slug="ledger").status_history.get().to_status == "shared"


def test_every_catalog_admin_page_opens(admin_client_as_staff, product):
    for model in [
        "domain",
        "dataproduct",
        "tag",
        "outputport",
        "productconsumer",
        "productstatuschange",
    ]:
        assert (
            admin_client_as_staff.get(reverse(f"admin:products_{model}_changelist")).status_code
            == 200
        )
    assert (
        admin_client_as_staff.get(
            reverse("admin:products_dataproduct_change", args=[product.pk])
        ).status_code
        == 200
    )
    assert admin_client_as_staff.get(reverse("admin:products_domain_add")).status_code == 200


@pytest.fixture
def admin_client_as_staff(client, staff):
    client.force_login(staff)
    return client


def _empty_inlines():
    data = {}
    for prefix in ("output_ports", "consumers", "status_history"):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


@pytest.mark.parametrize(
    ("page_name", "pinned"),
    [("products:product-list", 10), ("products:domain-list", 5), ("home", 12)],
)
def test_page_queries_stay_constant_when_the_catalog_grows(
    client,
    requester,
    requesting_domain,
    target_domain,
    page_name,
    pinned,
    django_assert_max_num_queries,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(requester)

    def build(n):
        for _ in range(n):
            p = factories.DataProductFactory(domain=target_domain)
            factories.OutputPortFactory(product=p)
            p.consumers.create(domain=requesting_domain, since="2026-01-01")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(page_name)).status_code == 200
        return len(ctx)

    build(2)
    small = count()
    build(18)
    with django_assert_max_num_queries(pinned):
        assert count() == small


def test_the_domain_page_costs_a_fixed_number_of_queries(
    client, requester, target_domain, requesting_domain, django_assert_max_num_queries
):
    for _ in range(20):
        factories.DataProductFactory(domain=target_domain)
    client.force_login(requester)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("products:domain-detail", args=["payments"]))
    assert response.status_code == 200


def test_the_catalog_address_leads_to_the_data_products(client, requester):
    client.force_login(requester)
    response = client.get("/catalog/")
    assert (response.status_code, response["Location"]) == (302, "/catalog/products/")
