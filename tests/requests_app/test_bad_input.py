"""Bad input never answers 500: unknown ids, wrong types, huge strings, malformed JSON, unknown
filter values, and a property-based sweep over the filing payload."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from requests_app.models import DataRequest
from tests import factories

S = DataRequest.Status


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/requests/424242/"),
        ("patch", "/api/v1/requests/424242/"),
        ("post", "/api/v1/requests/424242/accept/"),
        ("get", "/api/v1/requests/424242/comments/"),
        ("post", "/api/v1/requests/424242/comments/"),
        ("get", "/api/v1/requests/424242/events/"),
        ("post", "/api/v1/requests/424242/watch/"),
        ("get", "/api/v1/requests/abc/"),
        ("get", "/api/v1/requests/1e9/"),
        ("get", "/api/v1/cycles/nope/"),
        ("patch", "/api/v1/cycles/nope/"),
    ],
)
def test_unknown_ids_answer_404(api_as, staff, method, url):
    response = getattr(api_as(staff), method)(url, {}, format="json")
    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "x" * 10_000}, "title"),
        ({"title": ["a", "list"]}, "title"),
        ({"title": {"a": 1}}, "title"),
        ({"title": "ok", "target_domain": "nowhere"}, "target_domain"),
        ({"title": "ok", "target_domain": 5}, "target_domain"),
        ({"title": "ok", "needed_by_cycle": "2099-q9"}, "needed_by_cycle"),
        ({"title": "ok", "data_product": 987654}, "data_product"),
        ({"title": "ok", "data_product": "abc"}, "data_product"),
        ({"title": "ok", "urgency": "asap"}, "urgency"),
        ({"title": "ok", "submit": "perhaps"}, "submit"),
        ({"title": "ok", "proposed_product_name": "p" * 500}, "proposed_product_name"),
        ({"title": "ok", "description": "d" * 30_000}, "description"),
        ({"title": "ok", "requesting_domain": ["payments"]}, "requesting_domain"),
    ],
)
def test_wrong_values_when_filing_answer_400_naming_the_field(api_as, requester, body, field):
    response = api_as(requester).post("/api/v1/requests/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not DataRequest.objects.exists()


def test_a_nonexistent_referenced_slug_is_named_in_the_message(api_as, requester):
    response = api_as(requester).post(
        "/api/v1/requests/", {"title": "ok", "target_domain": "nowhere"}, format="json"
    )
    assert response.json()["detail"] == "target_domain: No domain with slug nowhere."


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("accept", {"planned_cycle": "2031-q1", "effort": "lots"}, "effort"),
        ("accept", {"planned_cycle": "2031-q1", "effort": 10**12}, "effort"),
        ("accept", {"planned_cycle": "nope", "effort": 3}, "planned_cycle"),
        ("accept", {"planned_cycle": 17, "effort": 3}, "planned_cycle"),
        ("decline", {"reason": "r" * 6000}, "reason"),
        ("mark_duplicate", {"duplicate_of": 987654}, "duplicate_of"),
        ("mark_duplicate", {"duplicate_of": "DR-1"}, "duplicate_of"),
        ("deliver", {"delivered_product": 987654}, "delivered_product"),
        ("triage", {"version": "new"}, "version"),
        ("triage", {"version": -1}, "version"),
    ],
)
def test_wrong_values_in_an_action_answer_400_and_change_nothing(
    api_as, lead, make_request, cycle, action, body, field
):
    obj = make_request(S.TRIAGED if action != "deliver" else S.IN_PROGRESS)
    response = api_as(lead).post(f"/api/v1/requests/{obj.pk}/{action}/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    obj.refresh_from_db()
    assert obj.version == 1


@pytest.mark.parametrize(
    "raw", [b"{", b'{"title": }', b"[1, 2]", b'"just a string"', b"\xff\xfe", b"null"]
)
def test_malformed_json_answers_400(api_as, requester, raw):
    response = api_as(requester).generic(
        "POST", "/api/v1/requests/", raw, content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert body["code"] in ("parse_error", "invalid")


@pytest.mark.parametrize(
    "query",
    [
        "status=",
        "status=%00",
        "target_domain=%00",
        "requester=%00",
        "q=%00",
        "data_product=%00",
        "page=0",
        "page=abc",
        "page_size=-5",
        "is_late=1",
        "ordering=-",
        "q=" + "x" * 500,
        "target_domain=" + "a" * 300,
    ],
)
def test_odd_query_strings_never_fail(api_as, lead, query):
    response = api_as(lead).get(f"/api/v1/requests/?{query}")
    assert response.status_code in (200, 400)


@pytest.mark.parametrize(
    "url",
    [
        "/requests/?status=nope",
        "/requests/?page=zzz",
        "/requests/424242/",
        "/requests/424242/edit/",
        "/cycles/nope/",
        "/requests/similar/?title=" + "y" * 3000,
        "/requests/mentions/?q=" + "@" * 400,
        "/requests/new/deadline/?needed_by_cycle=%00",
        "/requests/?target_domain=%00&requester=%00&q=%00",
        "/requests/similar/?title=%00&target_domain=%00",
        "/requests/mentions/?q=%00",
        "/requests/new/?needed_by_cycle=%00",
        "/requests/new/products/?target_domain=nope",
    ],
)
def test_pages_answer_4xx_not_500_on_bad_input(client, lead, url):
    client.force_login(lead)
    assert client.get(url).status_code in (200, 400, 404)


def test_an_unknown_action_on_the_page_answers_404(client, lead, make_request):
    obj = make_request(S.SUBMITTED)
    client.force_login(lead)
    assert client.post(f"/requests/{obj.pk}/do/explode/").status_code == 404


# --- property-based: whatever the filing payload, 201 or 400 ----------------------------------

text = st.one_of(st.none(), st.text(max_size=300), st.integers(), st.booleans())
payloads = st.fixed_dictionaries(
    {},
    optional={
        "title": st.one_of(text, st.text(min_size=190, max_size=260)),
        "description": text,
        "business_need": text,
        "target_domain": st.one_of(st.sampled_from(["payments", "search", "nowhere"]), text),
        "requesting_domain": st.one_of(st.sampled_from(["payments", "search"]), text),
        "needed_by_cycle": st.one_of(st.sampled_from(["2031-q1", "2099-q9"]), text),
        "data_product": st.one_of(st.integers(min_value=-5, max_value=10**20), text),
        "urgency": st.one_of(st.sampled_from(["low", "critical", "asap"]), text),
        "proposed_product_name": text,
        "submit": st.one_of(st.booleans(), text),
        "unexpected": text,
    },
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(payload=payloads)
def test_any_filing_payload_answers_201_or_400(api_as, requester, target_domain, cycle, payload):
    factories.DataProductFactory(domain=target_domain)
    response = api_as(requester).post("/api/v1/requests/", payload, format="json")
    assert response.status_code in (201, 400), (payload, response.content[:300])
    assert response.json()


def test_a_service_given_a_version_that_is_not_a_number_refuses_it(lead, make_request):
    from django.core.exceptions import ValidationError

    from requests_app import services

    obj = make_request(S.SUBMITTED)
    with pytest.raises(ValidationError) as exc:
        services.request_triage(data_request=obj, actor=lead, version="latest")
    assert "version" in exc.value.message_dict


@pytest.mark.parametrize(
    "body",
    [
        {"title": "x", "target_domain": "zz"},
        {"title": "x", "needed_by_cycle": "zz", "urgency": "apocalyptic"},
        {"title": "x" * 5000, "data_product": "not-a-number"},
    ],
)
def test_the_filing_and_edit_forms_answer_bad_values_with_the_form_not_a_500(
    client, requester, make_request, body
):
    client.force_login(requester)
    draft = make_request(S.DRAFT)
    for url in ("/requests/new/", f"/requests/{draft.pk}/edit/"):
        response = client.post(url, body)
        assert response.status_code in (200, 400), url
        assert b"errorlist" in response.content or b"error" in response.content, url


@pytest.mark.parametrize("pk", ["%C2%B9", "%D9%A3", "99999999999999999999"])
def test_an_id_that_is_no_ascii_number_answers_404(api_as, requester, pk):
    """Superscript or Arabic-Indic digits pass str.isdigit() but are no ids (a 500 before)."""
    for path in (f"/api/v1/requests/{pk}/", f"/api/v1/requests/{pk}/endorsements/"):
        assert api_as(requester).get(path).status_code == 404
