"""The admin saves through the services: their rules hold there too, and a refusal is shown on
the form with what the user typed, never a 500."""

import pytest

from products.models import Domain, ProductConsumer
from requests_app.models import DomainCycleCapacity
from tests import factories

pytestmark = pytest.mark.django_db


def _domain_form(**overrides):
    data = {
        "name": "Growth",
        "slug": "growth",
        "description": "",
        "contact_email": "",
        "webhook_url": "",
        "webhook_secret": "",
        "default_capacity": "20",
    }
    return {**data, **overrides}


def test_a_domain_name_clash_found_by_the_service_is_a_form_error(client, staff):
    factories.DomainFactory(name="Payments", slug="payments")
    client.force_login(staff)
    response = client.post(
        "/admin/products/domain/add/",
        _domain_form(name="payments", slug="payments-2", description="Typed by hand"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "already exists" in page
    assert "Typed by hand" in page  # nothing the user typed is lost
    assert Domain.objects.filter(slug="payments-2").count() == 0


def test_a_consumer_inline_refused_by_the_service_is_a_form_error(client, staff):
    product = factories.DataProductFactory()
    client.force_login(staff)
    url = f"/admin/products/dataproduct/{product.pk}/change/"
    page = client.get(url)
    form = page.context["adminform"].form
    data = {
        name: (value if value is not None else "")
        for name, value in ((n, form[n].value()) for n in form.fields)
    }
    data["tags"] = []
    data.update(
        {
            "output_ports-TOTAL_FORMS": "0",
            "output_ports-INITIAL_FORMS": "0",
            "consumers-TOTAL_FORMS": "1",
            "consumers-INITIAL_FORMS": "0",
            "consumers-0-domain": str(product.domain_id),  # its own domain
            "consumers-0-use_case": "Ourselves",
            "consumers-0-since": "2026-01-05",
            "status_history-TOTAL_FORMS": "0",
            "status_history-INITIAL_FORMS": "0",
        }
    )
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post(url, data)
    assert response.status_code == 200, response.content[:500]
    assert "owns" in response.content.decode()
    assert not ProductConsumer.objects.filter(product=product).exists()


def test_capacity_set_in_the_admin_goes_through_the_board_service(client, staff):
    domain, cycle = factories.DomainFactory(), factories.CycleFactory()
    client.force_login(staff)
    response = client.post(
        "/admin/requests_app/domaincyclecapacity/add/",
        {"domain": domain.pk, "cycle": cycle.pk, "capacity": "35"},
    )
    assert response.status_code == 302
    row = DomainCycleCapacity.objects.get(domain=domain, cycle=cycle)
    assert (row.capacity, row.board_version) == (35, 2)  # clients holding version 1 are stale
    response = client.post(
        f"/admin/requests_app/domaincyclecapacity/{row.pk}/change/", {"capacity": "500000"}
    )
    assert response.status_code == 200
    assert "0 to 100,000" in response.content.decode()
    row.refresh_from_db()
    assert row.capacity == 35


def test_a_cycle_with_its_deadline_after_its_start_is_refused_in_the_admin(client, staff):
    client.force_login(staff)
    response = client.post(
        "/admin/requests_app/roadmapcycle/add/",
        {
            "name": "2031-Q3",
            "slug": "2031-q3",
            "starts_on": "2031-07-01",
            "ends_on": "2031-09-30",
            "request_deadline": "2031-07-15",
            "review_on": "",
        },
    )
    assert response.status_code == 200
    assert "must fall before the cycle starts" in response.content.decode()
