"""Export: the catalog as Backstage or ODPS (+ODCS) files; import→export→import is a fixed point."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import yaml

from products.interchange.export import catalog_export
from products.interchange.services import catalog_import
from products.models import DataProduct, Domain, OutputPort, ProductConsumer, Tag
from tests import factories

pytestmark = pytest.mark.django_db


def _catalog():
    """Three domains, products in every status with ports, tags, contracts and consumers."""
    ads = factories.DomainFactory(slug="ads", name="Ads", description="Ads domain")
    search = factories.DomainFactory(slug="search", name="Search")
    factories.DomainFactory(slug="jobs", name="Jobs", owner_ref="group:jobs")
    impressions = factories.DataProductFactory(
        domain=ads, name="Ad impressions", slug="ad-impressions", status="product",
        classification="internal", contains_pii=True, support_contact="#ads-data",
        freshness_sla_hours=2, availability_target="99.50",
        schema="impression_id STRING\nserved_at TIMESTAMP",
    )  # fmt: skip
    impressions.tags.set([Tag.objects.create(name="clickstream"), Tag.objects.create(name="gdpr")])
    factories.OutputPortFactory(product=impressions, kind="topic", location="ads.impressions.v3",
                                description="Stream")  # fmt: skip
    factories.OutputPortFactory(product=impressions, kind="api", location="https://ads/api")
    ProductConsumer.objects.create(product=impressions, domain=search, since=dt.date(2026, 1, 5),
                                   use_case="Ranking")  # fmt: skip
    factories.DataProductFactory(domain=ads, name="Spend", slug="spend", status="incubating",
                                 classification="")  # fmt: skip
    factories.DataProductFactory(domain=search, name="Old log", slug="old-log",
                                 status="deprecated", sunset_on=dt.date(2027, 1, 1))  # fmt: skip
    factories.DataProductFactory(domain=search, name="Sessions", slug="sessions",
                                 external_id="4b1e-sessions", status="shared")  # fmt: skip


def _snapshot():
    """What a user sees of the catalog, without database ids or timestamps."""
    domains = sorted(Domain.objects.values_list("slug", "name", "description"))
    products = []
    for p in DataProduct.objects.select_related("domain").order_by("domain__slug", "slug"):
        products.append((
            p.domain.slug, p.slug, p.name, p.description, p.status, p.classification,
            p.contains_pii, p.schema, p.freshness_sla_hours, p.availability_target,
            p.support_contact, p.sunset_on, p.external_id,
            sorted(p.tags.values_list("name", flat=True)),
            sorted(p.output_ports.values_list("kind", "location", "description")),
            sorted(p.consumers.values_list("domain__slug", "since", "use_case")),
        ))  # fmt: skip
    return domains, products


def _empty_catalog():
    ProductConsumer.objects.all().delete()
    OutputPort.objects.all().delete()
    DataProduct.objects.all().delete()
    Domain.objects.all().delete()
    Tag.objects.all().delete()


@pytest.mark.parametrize("fmt", ["backstage", "odps"])
@pytest.mark.parametrize("bundle", ["zip", "yaml"])
def test_import_export_import_is_a_fixed_point(staff, fmt, bundle):
    _catalog()
    name = f"catalog.{bundle}"
    exported = catalog_export(fmt=fmt, bundle=bundle)
    _empty_catalog()
    catalog_import(actor=staff, name=name, content=exported)
    first = _snapshot()
    assert len(first[1]) == 4
    again = catalog_export(fmt=fmt, bundle=bundle)
    _empty_catalog()
    answer = catalog_import(actor=staff, name=name, content=again).as_dict()
    assert answer["errors"] == []
    assert _snapshot() == first
    # and the export of that is the same file again
    assert catalog_export(fmt=fmt, bundle=bundle) == again


@pytest.mark.parametrize("fmt", ["backstage", "odps"])
def test_a_round_trip_keeps_what_upstream_holds(staff, fmt):
    _catalog()
    before = _snapshot()
    exported = catalog_export(fmt=fmt, bundle="zip")
    _empty_catalog()
    catalog_import(actor=staff, name="c.zip", content=exported)
    domains, products = _snapshot()
    assert domains == before[0]
    # keys are given to products that had none; everything else is as it was
    strip = [p[:12] + p[13:] for p in products]
    assert strip == [p[:12] + p[13:] for p in before[1]]


def test_reimporting_an_export_changes_nothing(staff):
    _catalog()
    exported = catalog_export(fmt="odps", bundle="zip")
    first = catalog_import(actor=staff, name="c.zip", content=exported).as_dict()
    assert first["created"]["data_products"] == 0  # the products are matched, not duplicated
    exported = catalog_export(fmt="odps", bundle="zip")
    answer = catalog_import(actor=staff, name="c.zip", content=exported).as_dict()
    assert answer["unchanged"] == {
        "domains": 3, "data_products": 4, "output_ports": 2, "contracts": 1
    }  # fmt: skip
    assert answer["updated"] == dict.fromkeys(answer["updated"], 0)


def test_backstage_zip_holds_one_file_per_entity(staff):
    _catalog()
    archive = zipfile.ZipFile(io.BytesIO(catalog_export(fmt="backstage")))
    names = archive.namelist()
    assert "domains/ads.yaml" in names
    assert "systems/4b1e-sessions.yaml" in names
    system = yaml.safe_load(archive.read("systems/ads-ad-impressions.yaml"))
    assert system["kind"] == "System"
    assert system["spec"]["domain"] == "ads"
    contract = yaml.safe_load(archive.read("contracts/ads-ad-impressions.odcs.yaml"))
    assert contract["kind"] == "DataContract"
