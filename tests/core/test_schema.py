"""The OpenAPI schema states the errors every operation answers, in one shape (issue #18, 16)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db
WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture
def schema(api_as, staff):
    response = api_as(staff).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_every_operation_documents_its_error_answers(schema):
    missing = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method not in {"get", *WRITES}:
                continue
            expected = {"400", "401", "403", "404", "429"}
            if method in WRITES:
                expected |= {"409", "413"}
            absent = expected - set(operation["responses"])
            if absent:
                missing.append(f"{method.upper()} {path}: {sorted(absent)}")
    assert missing == []


def test_errors_share_one_shape_with_a_detail_and_a_code(schema):
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["detail", "code"]
    operation = schema["paths"]["/api/v1/requests/"]["post"]
    content = operation["responses"]["409"]["content"]["application/json"]
    assert content["schema"] == {"$ref": "#/components/schemas/Error"}


def test_write_bodies_state_their_limits(schema):
    body = schema["components"]["schemas"]["DataRequestCreateRequest"]
    assert body["properties"]["title"]["maxLength"] == 200
    assert "title" in body["required"]
    assert body["properties"]["urgency"]["$ref"].endswith("UrgencyEnum")
