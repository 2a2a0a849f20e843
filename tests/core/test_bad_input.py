"""Malformed input answers a clear 4xx on every door, never a 500 (issue #18, points 5-7, 9)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/requests/", "/api/v1/data-products/", "/api/v1/domains/", "/api/v1/cycles/"]
PAGES = ["/requests/", "/catalog/products/", "/catalog/domains/"]


@pytest.mark.parametrize("ordering", [",", ",,", "-,", "title,", ", -title"])
@pytest.mark.parametrize("path", LISTS)
def test_a_malformed_ordering_answers_400_on_api_lists(api_as, requester, path, ordering):
    response = api_as(requester).get(path, {"ordering": ordering})
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert "Empty field name in the ordering" in body["detail"]


@pytest.mark.parametrize("path", PAGES)
def test_a_malformed_ordering_on_a_page_is_shown_not_a_500(client, requester, path):
    client.force_login(requester)
    response = client.get(path, {"ordering": ","})
    assert response.status_code in (200, 400)
    assert b"Empty field name in the ordering" in response.content


@pytest.mark.parametrize("path", LISTS[:3])
def test_an_empty_ordering_is_the_default_order(api_as, requester, path):
    assert api_as(requester).get(path, {"ordering": ""}).status_code == 200


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    "path", ["/api/v1/requests/", "/api/v1/auth/token/", "/api/v1/domains/payments/board/reorder/"]
)
def test_json_nested_a_thousand_levels_deep_answers_400(api_as, requester, target_domain, path):
    body = '{"title": ' + _nested(1000) + "}"
    response = api_as(requester).generic("POST", path, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "too_deep"
    assert "64 levels" in response.json()["detail"]


def test_the_anonymous_token_endpoint_refuses_deep_json(api):
    response = api.generic(
        "POST", "/api/v1/auth/token/", '{"username": ' + _nested(5000) + "}", "application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "too_deep"


def test_brackets_inside_strings_do_not_count_as_nesting(api_as, requester, target_domain):
    title = "[" * 300
    response = api_as(requester).post(
        "/api/v1/requests/", {"title": title[:200], "target_domain": "payments"}, format="json"
    )
    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    "path", ["/api/v1/domains/pay%00ments/", "/requests/%00/", "/api/v1/requests/%00/"]
)
def test_a_nul_in_the_path_answers_400(api_as, requester, path):
    response = api_as(requester).get(path)
    assert response.status_code == 400
    assert b"NUL" in response.content


def test_a_nul_in_a_json_body_answers_400(api_as, requester, target_domain):
    response = api_as(requester).post(
        "/api/v1/requests/", {"title": "a\x00b", "target_domain": "payments"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_utf16_json_is_not_taken_for_nul_characters(api_as, requester, target_domain):
    body = json.dumps({"title": "Orders per hour", "target_domain": "payments"})
    response = api_as(requester).generic(
        "POST",
        "/api/v1/requests/",
        body.encode("utf-16-le"),
        content_type="application/json; charset=utf-16-le",
    )
    assert response.status_code == 201, response.content


def test_utf16_json_hiding_a_nul_is_refused(api_as, requester, target_domain):
    body = json.dumps({"title": "a\x00b", "target_domain": "payments"})
    response = api_as(requester).generic(
        "POST", "/api/v1/requests/", body.encode("utf-16"), content_type="application/json"
    )
    assert response.status_code == 400


def test_a_binary_upload_with_zero_bytes_is_not_refused_for_nul(api_as, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("catalog.zip", b"PK\x03\x04\x00\x00garbage", "application/zip")
    response = api_as(staff).post("/api/v1/catalog/import/", {"file": upload}, format="multipart")
    assert response.status_code != 500
    assert "NUL" not in response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/nothing-here/", "/api/v1/no-such-thing/", "/api/v2/"])
def test_an_unmatched_api_path_answers_json_404_with_a_code(api_as, requester, path):
    response = api_as(requester).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_an_unmatched_page_path_still_answers_the_html_404(client, requester):
    client.force_login(requester)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_server_error_under_the_api_answers_json_with_a_code(api_as, requester, monkeypatch):
    from core.api import Pagination

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(Pagination, "paginate_queryset", broken)
    client = api_as(requester)
    client.raise_request_exception = False
    response = client.get("/api/v1/domains/")
    assert response.status_code == 500
    assert response.json() == {
        "detail": "Something went wrong on our side; it has been logged. Try again in a moment.",
        "code": "server_error",
    }
