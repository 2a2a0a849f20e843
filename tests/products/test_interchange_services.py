"""The catalog import service: mappings, governance, idempotency, all-or-nothing, bounded queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.errors import NotPermitted
from products.interchange.report import ImportRefused
from products.interchange.services import catalog_import
from products.models import DataProduct, Domain, ProductStatusChange
from tests import factories
from tests.products.interchange_samples import BACKSTAGE, ODCS, ODPS, odps_products, zip_of

pytestmark = pytest.mark.django_db


def _import(actor, name, content, **kw):
    return catalog_import(actor=actor, name=name, content=content, **kw).as_dict()


def test_backstage_file_creates_domain_product_and_ports(staff):
    answer = _import(staff, "catalog-info.yaml", BACKSTAGE)
    assert answer["created"] == {
        "domains": 1,
        "data_products": 1,
        "output_ports": 2,
        "contracts": 0,
    }
    assert answer["skipped"]["Component"] == 1
    domain = Domain.objects.get(slug="payments")
    assert (domain.name, domain.owner_ref) == ("Payments", "group:payments-team")
    product = DataProduct.objects.get(domain=domain)
    assert (product.name, product.status, product.external_id) == (
        "Payment events",
        "shared",
        "payment-events",
    )
    assert sorted(product.tags.values_list("name", flat=True)) == ["events", "payments"]
    assert sorted(product.output_ports.values_list("kind", "location")) == [
        ("api", "https://payments.internal/api/events"),
        ("topic", "payments.events.v1"),
    ]


def test_reimporting_the_same_file_changes_nothing(staff):
    _import(staff, "catalog-info.yaml", BACKSTAGE)
    answer = _import(staff, "catalog-info.yaml", BACKSTAGE)
    assert answer["created"] == dict.fromkeys(answer["created"], 0)
    assert answer["updated"] == dict.fromkeys(answer["updated"], 0)
    assert answer["unchanged"]["domains"] == 1
    assert answer["unchanged"]["data_products"] == 1
    assert DataProduct.objects.count() == 1


def test_a_changed_file_updates_the_product_it_keys(staff):
    _import(staff, "catalog-info.yaml", BACKSTAGE)
    answer = _import(staff, "c.yaml", BACKSTAGE.replace(b"Every payment attempt", b"Each try"))
    assert answer["updated"]["data_products"] == 1
    assert DataProduct.objects.get().description == "Each try, as events."


def test_odps_active_without_freshness_comes_in_at_the_highest_status_it_meets(staff):
    answer = _import(staff, "payouts.odps.yaml", ODPS)
    product = DataProduct.objects.get(external_id="6f1c3a52-payouts")
    assert product.status == "incubating"
    assert product.support_contact == "https://chat.example/payments-data"
    assert product.classification == "confidential"
    assert product.owner_ref == "payments-team"
    assert "Usage: Join on seller_id." in product.description
    (warning,) = answer["warnings"]
    assert warning["file"] == "payouts.odps.yaml"
    assert warning["entity"] == "DataProduct 6f1c3a52-payouts"
    assert "freshness_sla_hours" in warning["field"]


def test_odps_with_its_odcs_contract_is_a_product(staff):
    content = zip_of({"payouts.odps.yaml": ODPS, "contracts/payouts.odcs.yaml": ODCS})
    answer = _import(staff, "catalog.zip", content)
    assert answer["warnings"] == []
    assert answer["created"]["contracts"] == 1
    product = DataProduct.objects.get(external_id="6f1c3a52-payouts")
    assert product.status == "product"
    assert product.freshness_sla_hours == 24
    assert float(product.availability_target) == 99.5
    assert "seller_id" in product.schema
    assert ProductStatusChange.objects.get(product=product).to_status == "product"


def test_odps_without_a_domain_takes_the_domain_parameter(staff, target_domain):
    content = ODPS.replace(b"domain: payments\n", b"")
    _import(staff, "p.yaml", content, domain="payments")
    assert DataProduct.objects.get().domain == target_domain


def test_odps_without_any_domain_is_refused_naming_the_field(staff):
    with pytest.raises(ImportRefused) as refused:
        _import(staff, "p.yaml", ODPS.replace(b"domain: payments\n", b""))
    assert refused.value.report.errors[0]["field"] == "domain"


def test_any_error_refuses_the_whole_import(staff):
    bad = BACKSTAGE + b"---\napiVersion: v1.0.0\nkind: DataProduct\nid: x\nstatus: shining\n"
    with pytest.raises(ImportRefused) as refused:
        _import(staff, "mixed.yaml", bad)
    error = refused.value.report.errors[0]
    assert (error["file"], error["field"]) == ("mixed.yaml#6", "status")
    assert "Valid choices" in error["message"]
    assert not Domain.objects.exists()


def test_dry_run_answers_the_same_and_writes_nothing(staff):
    answer = _import(staff, "catalog-info.yaml", BACKSTAGE, dry_run=True)
    assert answer["dry_run"] is True
    assert answer["created"]["data_products"] == 1
    assert not Domain.objects.exists()


def test_lead_imports_products_into_their_own_domain(lead, target_domain):
    answer = _import(lead, "p.yaml", ODPS)
    assert answer["created"]["data_products"] == 1
    assert DataProduct.objects.get().domain == target_domain


def test_lead_of_another_domain_cannot_import_into_this_one(other_lead, target_domain):
    with pytest.raises(NotPermitted):
        _import(other_lead, "p.yaml", ODPS)
    assert not DataProduct.objects.exists()


def test_member_cannot_import(member):
    with pytest.raises(NotPermitted):
        _import(member, "p.yaml", ODPS)


def test_only_staff_create_domains(lead):
    with pytest.raises(NotPermitted, match="Only staff create domains"):
        _import(lead, "p.yaml", ODPS.replace(b"domain: payments", b"domain: brand-new"))
    assert not Domain.objects.filter(slug="brand-new").exists()


def test_import_adopts_a_product_typed_in_by_hand(staff, target_domain):
    factories.DataProductFactory(domain=target_domain, name="Payment events", slug="payment-events")
    answer = _import(staff, "c.yaml", BACKSTAGE)
    assert answer["created"]["data_products"] == 0
    assert answer["updated"]["data_products"] == 1
    assert DataProduct.objects.get().external_id == "payment-events"


def test_status_only_moves_forward_on_reimport(staff, target_domain):
    content = zip_of({"p.yaml": ODPS, "c.yaml": ODCS})
    _import(staff, "a.zip", content)
    answer = _import(staff, "p.yaml", ODPS.replace(b"status: active", b"status: draft"))
    assert DataProduct.objects.get().status == "product"
    assert any(w["field"] == "status" for w in answer["warnings"])


@pytest.mark.parametrize("n", [10, 200])
def test_import_takes_a_number_of_queries_independent_of_the_products(staff, target_domain, n):
    with CaptureQueriesContext(connection) as queries:
        answer = _import(staff, "bulk.yaml", odps_products(n))
    assert answer["created"]["data_products"] == n
    assert DataProduct.objects.filter(status="incubating").count() == n
    assert len(queries) <= 30, [q["sql"][:80] for q in queries]


def _statements(queries) -> list[str]:
    """Queries with consecutive batches of one bulk statement counted once: SQLite caps a
    statement at 999 parameters, so Django splits one bulk insert into several (PostgreSQL not)."""
    shapes: list[str] = []
    for query in queries:
        shape = re.sub(r'"s\d+_x\d+"', "sp", query["sql"]).split("(", 1)[0][:60]
        if not shapes or shapes[-1] != shape or not shape.startswith(("INSERT", "UPDATE")):
            shapes.append(shape)
    return shapes


def test_query_count_is_the_same_for_10_and_1000_products(staff, target_domain):
    runs = []
    for n, domain in ((10, "payments"), (1000, "search")):
        factories.DomainFactory(slug=domain, name=domain.title())
        with CaptureQueriesContext(connection) as queries:
            _import(staff, f"{n}.yaml", odps_products(n, domain))
        runs.append(queries.captured_queries)
    assert _statements(runs[0]) == _statements(runs[1])
    if connection.vendor == "postgresql":
        assert len(runs[0]) == len(runs[1])
    assert DataProduct.objects.filter(domain__slug="search").count() == 1000
