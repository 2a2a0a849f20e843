"""SCIM provisioning as an identity provider drives it (payload shapes from RFC 7644 and the
Okta / Entra ID provisioning guides): bearer check, people, groups → roles, deactivation."""

import json

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken, RoleChange
from accounts.services.tokens import api_token_create
from requests_app.models import DataRequest
from tests import factories

pytestmark = pytest.mark.django_db
TOKEN = "scim-unit-test-token"  # noqa: S105 - test value
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


@pytest.fixture(autouse=True)
def _scim_on(settings):
    settings.SCIM_TOKEN = TOKEN


def scim(client, method, path, body=None, token=TOKEN):
    kwargs = {"content_type": "application/scim+json"}
    if token:
        kwargs["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(f"/scim/v2{path}", data, **kwargs)


def new_user(client, user_name="ana@example.com", **extra):
    body = {
        "schemas": [USER_SCHEMA],
        "userName": user_name,
        "name": {"givenName": "Ana", "familyName": "Lima"},
        "emails": [{"value": user_name, "primary": True, "type": "work"}],
        "active": True,
        "externalId": "00u1",
        **extra,
    }
    response = scim(client, "post", "/Users", body)
    assert response.status_code == 201, response.content
    return response.json()


def new_group(client, name, member_ids):
    body = {
        "schemas": [GROUP_SCHEMA],
        "displayName": name,
        "members": [{"value": str(pk)} for pk in member_ids],
    }
    response = scim(client, "post", "/Groups", body)
    assert response.status_code == 201, response.content
    return response.json()


def test_without_scim_token_configured_scim_does_not_exist(client, settings):
    settings.SCIM_TOKEN = ""
    assert scim(client, "get", "/Users").status_code == 404


def test_a_missing_or_wrong_bearer_token_gets_401(client):
    assert scim(client, "get", "/Users", token=None).status_code == 401
    response = scim(client, "get", "/Users", token="guess")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_creating_a_user_makes_a_person_who_signs_in_through_the_provider(client):
    created = new_user(client)
    assert created["userName"] == "ana@example.com"
    assert created["emails"] == [{"value": "ana@example.com"}]
    person = factories.UserFactory._meta.model.objects.get(pk=created["id"])
    assert (person.first_name, person.email, person.is_active) == ("Ana", "ana@example.com", True)
    assert not person.has_usable_password()


def test_a_taken_user_name_gets_409(client):
    new_user(client)
    response = scim(
        client, "post", "/Users", {"schemas": [USER_SCHEMA], "userName": "ana@example.com"}
    )
    assert response.status_code == 409
    assert response.json()["scimType"] == "uniqueness"


def test_the_user_name_filter_finds_existing_people(client):
    new_user(client)
    found = scim(client, "get", '/Users?filter=userName eq "ana@example.com"').json()
    assert found["totalResults"] == 1
    unsupported = scim(client, "get", '/Users?filter=title co "x"')
    assert unsupported.status_code == 400
    assert "userName eq" in unsupported.json()["detail"]


def test_a_bad_body_gets_a_clear_400(client):
    response = client.post(
        "/scim/v2/Users", "{not json", content_type="application/scim+json",
        HTTP_AUTHORIZATION=f"Bearer {TOKEN}",
    )  # fmt: skip
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_a_group_named_after_a_domain_role_grants_it_and_removing_the_member_takes_it(
    client, target_domain
):
    person_id = new_user(client)["id"]
    group = new_group(client, "upstream:payments:lead", [person_id])
    assert list(target_domain.leads.values_list("pk", flat=True)) == [int(person_id)]
    assert RoleChange.objects.filter(source="scim", action="added", role="lead").count() == 1

    patch = {
        "schemas": [PATCH_SCHEMA],
        "Operations": [{"op": "remove", "path": f'members[value eq "{person_id}"]'}],
    }
    response = scim(client, "patch", f"/Groups/{group['id']}", patch)
    assert response.status_code == 200, response.content
    assert not target_domain.leads.exists()
    assert RoleChange.objects.filter(source="scim", action="removed").count() == 1


def test_deleting_a_group_takes_its_role_away(client, target_domain):
    person_id = new_user(client)["id"]
    group = new_group(client, "upstream:payments:member", [person_id])
    assert scim(client, "delete", f"/Groups/{group['id']}").status_code == 204
    assert not target_domain.members.exists()


def test_deactivation_locks_the_person_out_of_pages_and_api_at_once(client, target_domain):
    person_id = new_user(client)["id"]
    person = factories.UserFactory._meta.model.objects.get(pk=person_id)
    _, key = api_token_create(actor=person, name="cron")
    browser = type(client)()
    browser.force_login(person)
    assert browser.get("/accounts/profile/").status_code == 200

    patch = {
        "schemas": [PATCH_SCHEMA],
        "Operations": [{"op": "replace", "value": {"active": False}}],
    }
    response = scim(client, "patch", f"/Users/{person_id}", patch)
    assert response.status_code == 200
    assert response.json()["active"] is False

    assert browser.get("/accounts/profile/").status_code == 302  # back to sign-in
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/domains/").status_code == 401
    assert ApiToken.objects.get().revoked_at is not None


def test_deleting_a_user_deactivates_them_and_keeps_their_history(client, target_domain):
    person_id = new_user(client)["id"]
    person = factories.UserFactory._meta.model.objects.get(pk=person_id)
    data_request = factories.DataRequestFactory(requester=person, target_domain=target_domain)
    assert scim(client, "delete", f"/Users/{person_id}").status_code == 204

    person.refresh_from_db()
    assert not person.is_active
    assert DataRequest.objects.filter(pk=data_request.pk, requester=person).exists()
    assert scim(client, "get", f"/Users/{person_id}").status_code == 404
    # Provisioned again later: the same person comes back, history and all.
    assert new_user(client)["id"] == person_id


def test_discovery_endpoints_describe_what_is_supported(client):
    config = scim(client, "get", "/ServiceProviderConfig").json()
    assert config["patch"]["supported"] is True
    assert config["bulk"]["supported"] is False
    names = {r["name"] for r in scim(client, "get", "/ResourceTypes").json()["Resources"]}
    assert names == {"User", "Group"}
    assert scim(client, "get", "/Schemas").json()["totalResults"] == 2
