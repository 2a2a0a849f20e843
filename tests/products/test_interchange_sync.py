"""``catalog_sync`` and the periodic task: OpenMetadata and DataHub answered by a loopback server
(pytest-httpserver) in their documented shapes, with paging, a refused token, a 500, a source
that is down, and a re-sync that changes nothing."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from core.errors import NotPermitted
from products.interchange.services import catalog_sync
from products.models import DataProduct, Domain
from products.tasks import sync_catalog
from tests.products.catalog_fakes import TOKEN, DataHub, OpenMetadata

pytestmark = pytest.mark.django_db


@pytest.fixture
def openmetadata(httpserver):
    fake = OpenMetadata()
    httpserver.expect_request("/api/v1/domains", method="GET").respond_with_handler(fake.handler)
    httpserver.expect_request("/api/v1/dataProducts", method="GET").respond_with_handler(
        fake.handler
    )
    fake.url = httpserver.url_for("/")
    return fake


@pytest.fixture
def datahub(httpserver):
    fake = DataHub()
    httpserver.expect_request("/api/graphql", method="POST").respond_with_handler(fake.handler)
    fake.url = httpserver.url_for("/")
    return fake


def _sync(source, url, *extra, token=TOKEN):
    """Run the command; answer its summary as a dict."""
    from io import StringIO

    out = StringIO()
    call_command("catalog_sync", source, "--url", url, "--token", token, *extra, stdout=out)
    prefix, _, summary = out.getvalue().partition(": ")
    return prefix, json.loads(summary)


def test_openmetadata_sync_follows_the_pages_and_maps_domains_and_products(openmetadata):
    prefix, answer = _sync("openmetadata", openmetadata.url)
    assert prefix == "Synced"
    assert answer["created"] == {
        "domains": 2,
        "data_products": 3,
        "output_ports": 3,
        "contracts": 0,
    }
    marketing = Domain.objects.get(slug="marketing")
    assert (marketing.name, marketing.description, marketing.owner_ref) == (
        "Marketing",
        "Campaigns and customers.",
        "group:marketing-team",
    )
    insights = DataProduct.objects.get(
        external_id="openmetadata:b1839f98-f046-5f35-bdef-20f9b3395cb1"
    )
    assert (insights.domain, insights.name, insights.slug, insights.status) == (
        marketing,
        "Customer Insights",
        "customer-insights",
        "shared",
    )
    assert insights.owner_ref == "user:alice"
    assert list(insights.output_ports.values_list("kind", "location")) == [
        ("table", "dwh.marketing.customerinsights")
    ]
    assert list(insights.tags.values_list("name", flat=True)) == ["pii-none"]
    assert DataProduct.objects.filter(domain__slug="finance").count() == 1


def test_a_second_openmetadata_sync_changes_nothing(openmetadata):
    _sync("openmetadata", openmetadata.url)
    before = list(DataProduct.objects.values_list("pk", "updated_at"))
    _prefix, answer = _sync("openmetadata", openmetadata.url)
    assert answer["created"] == dict.fromkeys(answer["created"], 0)
    assert answer["updated"] == dict.fromkeys(answer["updated"], 0)
    assert answer["unchanged"]["domains"] == 2
    assert answer["unchanged"]["data_products"] == 3
    assert list(DataProduct.objects.values_list("pk", "updated_at")) == before


def test_a_renamed_product_is_updated_in_place_by_its_id(openmetadata):
    _sync("openmetadata", openmetadata.url)
    openmetadata.products["Finance"][0]["displayName"] = "Customer invoices"
    _prefix, answer = _sync("openmetadata", openmetadata.url)
    assert answer["updated"]["data_products"] == 1
    invoices = DataProduct.objects.get(domain__slug="finance")
    assert (invoices.name, invoices.slug) == ("Customer invoices", "invoices")


def test_a_product_promoted_in_upstream_keeps_its_status(openmetadata):
    _sync("openmetadata", openmetadata.url)
    DataProduct.objects.filter(domain__slug="finance").update(status="incubating")
    _prefix, answer = _sync("openmetadata", openmetadata.url)
    assert answer["unchanged"]["data_products"] == 3
    assert DataProduct.objects.get(domain__slug="finance").status == "incubating"


def test_dry_run_writes_nothing(openmetadata):
    prefix, answer = _sync("openmetadata", openmetadata.url, "--dry-run")
    assert prefix == "Dry run (nothing written)"
    assert answer["created"]["data_products"] == 3
    assert not Domain.objects.exists()


def test_domain_option_syncs_only_that_domain(openmetadata):
    _prefix, answer = _sync("openmetadata", openmetadata.url, "--domain", "finance")
    assert answer["created"]["data_products"] == 1
    assert list(Domain.objects.values_list("slug", flat=True)) == ["finance"]


def test_an_unknown_domain_option_is_refused(openmetadata):
    with pytest.raises(CommandError, match="no such domain"):
        _sync("openmetadata", openmetadata.url, "--domain", "nowhere")


def test_a_refused_token_is_a_clear_error_and_nothing_is_written(openmetadata):
    with pytest.raises(CommandError, match=r"refused the token \(HTTP 401\)"):
        _sync("openmetadata", openmetadata.url, token="wrong")
    assert not Domain.objects.exists()


def test_a_500_midway_writes_nothing(httpserver):
    fake = OpenMetadata()
    httpserver.expect_request("/api/v1/domains").respond_with_handler(fake.handler)
    httpserver.expect_request("/api/v1/dataProducts").respond_with_data("boom", status=500)
    with pytest.raises(CommandError, match="answered HTTP 500; nothing was imported"):
        _sync("openmetadata", httpserver.url_for("/"))
    assert not Domain.objects.exists()


def test_an_answer_that_is_not_json_is_a_clear_error(httpserver):
    httpserver.expect_request("/api/v1/domains").respond_with_data("<html>login</html>")
    with pytest.raises(CommandError, match="did not answer a JSON object"):
        _sync("openmetadata", httpserver.url_for("/"))


def test_an_answer_of_another_shape_is_a_clear_error(httpserver):
    httpserver.expect_request("/api/v1/domains").respond_with_json({"items": []})
    with pytest.raises(CommandError, match="unexpected shape"):
        _sync("openmetadata", httpserver.url_for("/"))


def test_a_catalog_that_is_down_is_a_clear_error():
    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(CommandError, match="cannot be reached"):
        _sync("datahub", f"http://127.0.0.1:{port}")


def test_datahub_sync_maps_domains_products_owners_and_tags(datahub):
    _prefix, answer = _sync("datahub", datahub.url)
    assert answer["created"]["domains"] == 2
    assert answer["created"]["data_products"] == 2
    c360 = DataProduct.objects.get(external_id="urn:li:dataProduct:c360")
    assert (c360.domain.slug, c360.name, c360.description, c360.owner_ref) == (
        "marketing",
        "Customer 360",
        "All about Customer 360.",
        "user:jdoe",
    )
    assert list(c360.tags.values_list("name", flat=True)) == ["gold"]
    assert Domain.objects.get(slug="marketing").owner_ref == "group:marketing-team"


def test_a_second_datahub_sync_changes_nothing(datahub):
    _sync("datahub", datahub.url)
    _prefix, answer = _sync("datahub", datahub.url)
    assert answer["created"] == dict.fromkeys(answer["created"], 0)
    assert answer["updated"] == dict.fromkeys(answer["updated"], 0)
    assert answer["unchanged"]["data_products"] == 2


def test_a_datahub_graphql_error_is_a_clear_error(httpserver):
    httpserver.expect_request("/api/graphql").respond_with_json(
        {"errors": [{"message": "Unauthorized to perform this action."}]}
    )
    with pytest.raises(CommandError, match="GraphQL error: Unauthorized"):
        _sync("datahub", httpserver.url_for("/"))


def test_a_datahub_401_is_a_clear_error(datahub):
    with pytest.raises(CommandError, match="refused the token"):
        _sync("datahub", datahub.url, token="")


def test_a_governance_error_refuses_the_whole_sync(datahub):
    datahub.products[1]["entity"]["tags"]["tags"] = [
        {"tag": {"urn": f"urn:li:tag:t{i}"}} for i in range(21)
    ]
    with pytest.raises(CommandError, match="at most 20 tags"):
        _sync("datahub", datahub.url)
    assert not DataProduct.objects.exists()


def test_only_staff_and_leads_sync_and_a_lead_only_into_their_domain(openmetadata, member, lead):
    with pytest.raises(NotPermitted):
        catalog_sync(actor=member, source="openmetadata", url=openmetadata.url, token=TOKEN)
    with pytest.raises(NotPermitted, match="Only staff create domains"):
        catalog_sync(actor=lead, source="openmetadata", url=openmetadata.url, token=TOKEN)
    assert not DataProduct.objects.exists()


def test_the_task_syncs_the_configured_catalog(openmetadata, monkeypatch):
    monkeypatch.setattr(settings, "CATALOG_SYNC_SOURCE", "openmetadata")
    monkeypatch.setattr(settings, "CATALOG_SYNC_URL", openmetadata.url)
    monkeypatch.setattr(settings, "CATALOG_SYNC_TOKEN", TOKEN)
    assert sync_catalog.delay().get()["created"]["data_products"] == 3
    assert sync_catalog.delay().get()["unchanged"]["data_products"] == 3


def test_the_task_logs_a_failure_without_a_traceback(httpserver, monkeypatch, caplog):
    httpserver.expect_request("/api/v1/domains").respond_with_data("down", status=500)
    monkeypatch.setattr(settings, "CATALOG_SYNC_SOURCE", "openmetadata")
    monkeypatch.setattr(settings, "CATALOG_SYNC_URL", httpserver.url_for("/"))
    with caplog.at_level(logging.ERROR, logger="products.tasks"):
        answer = sync_catalog.delay().get()
    assert "HTTP 500" in answer["error"]
    (record,) = caplog.records
    assert "catalog sync failed, nothing was imported" in record.getMessage()
    assert record.exc_info is None


def test_the_task_does_nothing_when_no_catalog_is_configured(monkeypatch):
    monkeypatch.setattr(settings, "CATALOG_SYNC_URL", "")
    assert sync_catalog.delay().get() is None


@pytest.mark.parametrize("configured", [True, False])
def test_the_sync_is_scheduled_only_when_configured(configured):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CATALOG_SYNC_")}
    if configured:
        env |= {"CATALOG_SYNC_SOURCE": "datahub", "CATALOG_SYNC_URL": "https://datahub.example"}
    code = "import config.settings as s; print(s.CELERY_BEAT_SCHEDULE.get('catalog-sync'))"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert ("products.tasks.sync_catalog" in out) is configured
