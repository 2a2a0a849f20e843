"""The import page: leads and staff preview an upload, then apply it; others are refused."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from products.models import DataProduct, Domain
from tests.products.interchange_samples import BACKSTAGE, ODPS

pytestmark = pytest.mark.django_db
PAGE = "/catalog/import/"


def _upload(client, content, name="catalog.yaml", **data):
    return client.post(PAGE, {"file": SimpleUploadedFile(name, content), **data})


@pytest.mark.parametrize(
    ("role", "status"), [("requester", 403), ("member", 403), ("lead", 200), ("staff", 200)]
)
def test_the_page_is_for_leads_and_staff(client, request, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(PAGE).status_code == status


def test_staff_preview_then_apply(client, staff):
    client.force_login(staff)
    preview = _upload(client, BACKSTAGE)
    assert preview.status_code == 200
    assert b"Apply import" in preview.content
    assert b"Component" in preview.content
    assert not Domain.objects.exists()
    token = preview.context["token"]
    applied = client.post(PAGE, {"token": token})
    assert applied.status_code == 302
    assert DataProduct.objects.get().name == "Payment events"


def test_a_refused_upload_shows_the_errors_and_no_apply_button(client, staff):
    client.force_login(staff)
    response = _upload(client, b"kind: [unclosed\n")
    assert response.status_code == 400
    assert b"Malformed YAML" in response.content
    assert b"Apply import" not in response.content


def test_lead_of_another_domain_is_refused_on_preview(client, other_lead, target_domain):
    client.force_login(other_lead)
    response = _upload(client, ODPS)
    assert response.status_code == 403
    assert not DataProduct.objects.exists()


def test_an_expired_preview_asks_for_the_file_again(client, staff):
    client.force_login(staff)
    response = client.post(PAGE, {"token": "nope"})
    assert response.status_code == 400
    assert b"expired" in response.content
