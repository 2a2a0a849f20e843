"""The catalog import and export API: roles, dry runs, all-or-nothing and every bad input."""

from __future__ import annotations

import io
import zipfile

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

from products.models import DataProduct, Domain
from tests import factories
from tests.products.interchange_samples import BACKSTAGE, ODCS, ODPS, zip_of

pytestmark = pytest.mark.django_db
IMPORT = "/api/v1/catalog/import/"
EXPORT = "/api/v1/catalog/export/"


def _post(client, content: bytes, name: str = "catalog.yaml", **data):
    return client.post(
        IMPORT, {"file": SimpleUploadedFile(name, content), **data}, format="multipart"
    )


# --- roles ---------------------------------------------------------------------------------------

ROLE_ANSWERS = {
    "anonymous": 403,
    "requester": 403,
    "member": 403,
    "other_lead": 403,
    "lead": 200,
    "staff": 200,
}


@pytest.mark.parametrize(("role", "status"), ROLE_ANSWERS.items())
def test_importing_products_into_a_domain_per_role(request, api_as, target_domain, role, status):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    response = _post(api_as(user), ODPS, "p.odps.yaml")
    assert response.status_code in ((401, 403) if role == "anonymous" else (status,))
    assert DataProduct.objects.exists() == (status == 200)


@pytest.mark.parametrize(("role", "status"), [("lead", 403), ("staff", 200)])
def test_only_staff_create_domains_through_the_api(request, api_as, target_domain, role, status):
    user = request.getfixturevalue(role)
    response = _post(api_as(user), ODPS.replace(b"domain: payments", b"domain: brand-new"))
    assert response.status_code == status
    assert Domain.objects.filter(slug="brand-new").exists() == (status == 200)
    if status == 403:
        assert "Only staff create domains" in response.json()["detail"]


def test_dry_run_previews_and_writes_nothing(api_as, staff):
    response = _post(api_as(staff), BACKSTAGE, dry_run="true")
    assert response.status_code == 200
    body = response.json()
    assert body["dry_run"] is True
    assert body["created"]["domains"] == 1
    assert body["skipped"]["Component"] == 1
    assert not Domain.objects.exists()


def test_a_zip_upload_passes_the_nul_byte_guard(api_as, staff):
    archive = zip_of({"p.yaml": ODPS, "c.yaml": ODCS, "bin/blob.bin": b"\x00\x01"})
    response = _post(api_as(staff), archive, "catalog.zip")
    assert response.status_code == 200, response.json()
    assert DataProduct.objects.get().status == "product"


def test_nul_in_a_form_text_field_is_still_refused(api_as, staff):
    response = _post(api_as(staff), ODPS, domain="pay\x00ments")
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_domain_parameter_fills_odps_files_without_a_domain(api_as, lead, target_domain):
    response = _post(api_as(lead), ODPS.replace(b"domain: payments\n", b""), domain="payments")
    assert response.status_code == 200
    assert DataProduct.objects.get().domain == target_domain


# --- bad input -----------------------------------------------------------------------------------


def _refused(response, field: str | None = None) -> dict:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "import_refused"
    assert body["errors"]
    if field is not None:
        assert any(field in e["field"] for e in body["errors"]), body["errors"]
    assert not Domain.objects.exists()
    return body


def test_malformed_yaml_is_refused_with_its_line(api_as, staff):
    body = _refused(_post(api_as(staff), b"kind: Domain\nmetadata:\n  name: [unclosed\n"))
    assert body["errors"][0]["field"].startswith("line ")
    assert "Malformed YAML" in body["errors"][0]["message"]


def test_malformed_json_is_refused_with_its_line(api_as, staff):
    body = _refused(_post(api_as(staff), b'{"kind": "DataProduct",\n "id": }', "p.json"))
    assert body["errors"][0]["field"] == "line 2"


def test_wrong_types_are_refused_naming_the_field(api_as, staff):
    bad = ODPS.replace(b"tags: [finance]", b"tags: finance")
    body = _refused(_post(api_as(staff), bad, "p.yaml"), "tags")
    assert body["errors"][0]["entity"] == "DataProduct 6f1c3a52-payouts"
    assert body["errors"][0]["file"] == "p.yaml"


def test_an_odcs_contract_with_wrong_types_is_refused(api_as, staff):
    bad = ODCS.replace(b"support:\n", b"support: 12\nx:\n")
    _refused(_post(api_as(staff), zip_of({"p.yaml": ODPS, "c.yaml": bad}), "c.zip"), "support")


def test_unknown_kinds_are_skipped_and_counted(api_as, staff):
    content = b"apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: g}\n---\nkind: X\n"
    response = _post(api_as(staff), content)
    assert response.status_code == 200
    assert response.json()["skipped"]["Group"] == 1
    assert response.json()["skipped"]["X"] == 1


def test_a_zip_with_a_path_escaping_its_root_is_refused(api_as, staff):
    _refused(_post(api_as(staff), zip_of({"../evil.yaml": ODPS}), "c.zip"), "path")


def test_a_zip_with_too_many_files_is_refused(api_as, staff, settings):
    settings.CATALOG_IMPORT_MAX_FILES = 3
    files = {f"f{i}.yaml": b"kind: X\n" for i in range(4)}
    body = _refused(_post(api_as(staff), zip_of(files), "c.zip"))
    assert "at most 3" in body["errors"][0]["message"]


def test_a_location_escaping_the_zip_is_refused(api_as, staff):
    location = b"apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: l}\n"
    location += b"spec:\n  targets: [../../etc/passwd]\n"
    _refused(_post(api_as(staff), zip_of({"catalog-info.yaml": location}), "c.zip"), "spec.target")


def test_an_upload_over_the_limit_answers_413(api_as, staff, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = _post(api_as(staff), b"# padding\n" * 2_000)
    assert response.status_code == 413


def test_an_archive_expanding_over_the_limit_answers_413(api_as, staff, settings):
    settings.CATALOG_IMPORT_MAX_BYTES = 50_000
    response = _post(api_as(staff), zip_of({"big.yaml": b"# x\n" * 20_000}), "c.zip")
    assert response.status_code == 413


def test_a_yaml_bomb_is_refused(api_as, staff):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for i, name in enumerate("bcdefgh"):
        prev = "abcdefgh"[i]
        bomb += f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
    body = _refused(_post(api_as(staff), bomb.encode()))
    assert "YAML bomb" in body["errors"][0]["message"]


def test_a_recursive_yaml_alias_is_refused(api_as, staff):
    body = _refused(_post(api_as(staff), b"a: &a [*a]\n"))
    assert "recursive" in body["errors"][0]["message"]


def test_a_location_url_is_reported_and_never_fetched(api_as, staff):
    location = b"apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: l}\n"
    location += b"spec:\n  type: url\n  target: http://127.0.0.1:9/catalog-info.yaml\n"
    response = _post(api_as(staff), zip_of({"catalog-info.yaml": location}), "c.zip")
    assert response.status_code == 200
    (warning,) = response.json()["warnings"]
    assert "never fetches" in warning["message"]
    assert response.json()["skipped"]["Location"] == 1


def test_a_file_that_is_not_utf8_text_is_refused(api_as, staff):
    _refused(_post(api_as(staff), b"\xff\xfe\x00k\x00i"))


# --- export --------------------------------------------------------------------------------------


def test_export_answers_a_zip_per_format(api_as, requester, target_domain):
    factories.DataProductFactory(domain=target_domain, name="Payment events")
    response = api_as(requester).get(EXPORT, {"format": "odps"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "domains/payments.yaml" in names
    assert any(n.endswith(".odps.yaml") for n in names)


def test_export_as_multi_document_yaml(api_as, requester, target_domain):
    factories.DataProductFactory(domain=target_domain, name="Payment events")
    response = api_as(requester).get(EXPORT, {"format": "backstage", "bundle": "yaml"})
    kinds = [d["kind"] for d in yaml.safe_load_all(response.content)]
    assert kinds == ["Domain", "Domain", "System"]


def test_export_with_an_unknown_format_answers_400_naming_the_choices(api_as, requester):
    response = api_as(requester).get(EXPORT, {"format": "csv"})
    assert response.status_code == 400
    assert "backstage, odps" in response.json()["detail"]


def test_one_product_as_odps(api_as, requester, target_domain):
    product = factories.DataProductFactory(domain=target_domain, name="Payment events")
    response = api_as(requester).get(f"/api/v1/data-products/{product.pk}/odps/")
    assert response.status_code == 200
    doc = yaml.safe_load(response.content)
    assert (doc["kind"], doc["name"], doc["domain"]) == (
        "DataProduct",
        "Payment events",
        "payments",
    )


def test_the_endpoints_are_in_the_openapi_schema(api_as, requester):
    schema = yaml.safe_load(api_as(requester).get("/api/schema/").content)
    assert "/api/v1/catalog/import/" in schema["paths"]
    assert "/api/v1/catalog/export/" in schema["paths"]
    assert "/api/v1/data-products/{id}/odps/" in schema["paths"]


@pytest.mark.parametrize(
    "content",
    [
        b"[" * 5000 + b"]" * 5000,
        b"since: 2026-13-45\n",
        b"{" * 5000,
        b'{"a":' * 3000 + b"1" + b"}" * 3000,
        "ê\x11$冿\x87\x05".encode(),
    ],
    ids=["deep-yaml", "bad-date", "unclosed-json", "deep-json", "control-characters"],
)
def test_odd_input_answers_400_not_500(api_as, staff, content):
    _refused(_post(api_as(staff), content))


def test_a_corrupt_zip_answers_400(api_as, staff):
    archive = bytearray(zip_of({"p.yaml": ODPS * 20}))
    archive[60:90] = b"\x00" * 30
    _refused(_post(api_as(staff), bytes(archive), "c.zip"))
