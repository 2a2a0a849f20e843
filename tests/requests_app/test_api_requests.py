"""The requests API: filing, reading, editing, discussion, watching, `me/`, and query budgets."""

from __future__ import annotations

import pytest

from requests_app.models import DataRequest
from tests import factories

S = DataRequest.Status
CONTRACT_FIELDS = {
    "id",
    "key",
    "title",
    "status",
    "requester",
    "requesting_domain",
    "target_domain",
    "data_product",
    "needed_by_cycle",
    "planned_cycle",
    "urgency",
    "effort",
    "score",
    "rank",
    "is_late",
    "lead_time_days",
    "version",
    "allowed_actions",
}


def test_filing_a_request_makes_a_draft_the_requester_watches(api_as, requester, cycle):
    response = api_as(requester).post(
        "/api/v1/requests/",
        {"title": "Search clicks per listing", "needed_by_cycle": cycle.slug, "urgency": "high"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["requester"], body["requesting_domain"]) == (
        "draft",
        "pm",
        "search",
    )
    assert body["key"] == f"DR-{body['id']}"
    assert body["allowed_actions"] == ["submit", "withdraw"]
    assert DataRequest.objects.get(pk=body["id"]).watchers.filter(pk=requester.pk).exists()


def test_filing_with_submit_files_and_submits_at_once(api_as, requester, target_domain, cycle):
    response = api_as(requester).post(
        "/api/v1/requests/",
        {
            "title": "Refund events",
            "business_need": "Fraud model",
            "target_domain": target_domain.slug,
            "needed_by_cycle": cycle.slug,
            "submit": True,
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["is_late"], body["lead_time_days"]) == ("submitted", False, 50)
    kinds = DataRequest.objects.get(pk=body["id"]).events.values_list("kind", flat=True)
    assert list(kinds) == ["created", "submit"]


def test_filing_with_submit_but_without_a_business_need_files_nothing(
    api_as, requester, target_domain, cycle
):
    response = api_as(requester).post(
        "/api/v1/requests/",
        {
            "title": "X",
            "target_domain": target_domain.slug,
            "needed_by_cycle": cycle.slug,
            "submit": True,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "business_need" in response.json()["errors"]
    assert not DataRequest.objects.exists()


def test_a_request_carries_every_field_of_the_contract(api_as, lead, make_request):
    obj = make_request(S.SUBMITTED)
    body = api_as(lead).get(f"/api/v1/requests/{obj.pk}/").json()
    assert set(body) >= CONTRACT_FIELDS
    assert body["target_domain"] == "payments"
    assert body["needed_by_cycle"] == obj.needed_by_cycle.slug
    assert body["allowed_actions"] == ["triage", "accept", "decline", "defer", "mark_duplicate"]


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("requester", ["withdraw"]),
        ("lead", ["accept", "decline", "defer", "mark_duplicate"]),
        ("member", []),
        ("other_lead", []),
        ("staff", ["accept", "decline", "defer", "mark_duplicate", "withdraw"]),
    ],
)
def test_allowed_actions_are_those_of_the_caller(request, api_as, make_request, role, allowed):
    obj = make_request(S.TRIAGED)
    body = api_as(request.getfixturevalue(role)).get(f"/api/v1/requests/{obj.pk}/").json()
    assert body["allowed_actions"] == allowed


def test_an_unknown_request_answers_404(api_as, requester):
    assert api_as(requester).get("/api/v1/requests/999999/").status_code == 404
    assert api_as(requester).post("/api/v1/requests/999999/submit/").status_code == 404


def test_the_requester_edits_a_submitted_request_with_its_version(api_as, requester, make_request):
    obj = make_request(S.SUBMITTED)
    response = api_as(requester).patch(
        f"/api/v1/requests/{obj.pk}/", {"title": "Clicks per listing", "version": 1}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["title"], response.json()["version"]) == ("Clicks per listing", 2)


def test_editing_after_triage_answers_400_telling_to_comment(api_as, requester, make_request):
    obj = make_request(S.TRIAGED)
    response = api_as(requester).patch(
        f"/api/v1/requests/{obj.pk}/", {"title": "New"}, format="json"
    )
    assert response.status_code == 400
    assert "comment" in response.json()["detail"]


@pytest.mark.parametrize("role", ["lead", "member", "other_lead"])
def test_only_the_requester_or_staff_may_edit(request, api_as, make_request, role):
    obj = make_request(S.DRAFT, title="Mine")
    response = api_as(request.getfixturevalue(role)).patch(
        f"/api/v1/requests/{obj.pk}/", {"title": "Theirs"}, format="json"
    )
    assert response.status_code == 403
    obj.refresh_from_db()
    assert obj.title == "Mine"


def test_staff_may_edit_a_draft(api_as, staff, make_request):
    obj = make_request(S.DRAFT)
    response = api_as(staff).patch(
        f"/api/v1/requests/{obj.pk}/", {"urgency": "critical"}, format="json"
    )
    assert (response.status_code, response.json()["urgency"]) == (200, "critical")


def test_anyone_signed_in_comments_and_mentions_notify_by_username(
    api_as, other_lead, lead, make_request
):
    obj = make_request(S.SUBMITTED)
    client = api_as(other_lead)
    response = client.post(
        f"/api/v1/requests/{obj.pk}/comments/",
        {"body": "We have this already, @lead and @nobody."},
        format="json",
    )
    assert response.status_code == 201
    assert (response.json()["author"], response.json()["mentions"]) == ("otherlead", ["lead"])
    listed = client.get(f"/api/v1/requests/{obj.pk}/comments/").json()["results"]
    assert [c["body"] for c in listed] == ["We have this already, @lead and @nobody."]
    assert obj.watchers.filter(pk=other_lead.pk).exists()


def test_an_empty_comment_is_refused(api_as, requester, make_request):
    obj = make_request(S.SUBMITTED)
    response = api_as(requester).post(
        f"/api/v1/requests/{obj.pk}/comments/", {"body": ""}, format="json"
    )
    assert response.status_code == 400


def test_the_events_endpoint_lists_the_audit_trail_oldest_first(api_as, requester, make_request):
    obj = make_request(S.DRAFT)
    client = api_as(requester)
    client.post(f"/api/v1/requests/{obj.pk}/submit/", {}, format="json")
    client.post(f"/api/v1/requests/{obj.pk}/withdraw/", {"reason": "Found it"}, format="json")
    events = client.get(f"/api/v1/requests/{obj.pk}/events/").json()["results"]
    assert [(e["kind"], e["actor"], e["to_status"]) for e in events] == [
        ("submit", "pm", "submitted"),
        ("withdraw", "pm", "withdrawn"),
    ]
    assert events[1]["data"] == {"reason": "Found it"}


def test_watching_and_unwatching_are_idempotent(api_as, member, make_request):
    obj = make_request(S.SUBMITTED)
    client = api_as(member)
    for _ in range(2):
        assert client.post(f"/api/v1/requests/{obj.pk}/watch/").json() == {"watching": True}
    assert obj.watchers.filter(pk=member.pk).count() == 1
    assert client.delete(f"/api/v1/requests/{obj.pk}/watch/").json() == {"watching": False}
    assert not obj.watchers.filter(pk=member.pk).exists()
    # Only the changes are audited: one "watched", one "unwatched".
    kinds = list(obj.events.filter(actor=member).values_list("kind", flat=True))
    assert sorted(kinds) == ["unwatched", "watched"]


def test_me_answers_the_user_and_their_domains(api_as, lead, target_domain, requesting_domain):
    requesting_domain.members.add(lead)
    body = api_as(lead).get("/api/v1/me/").json()
    assert body["username"] == "lead"
    assert (body["domains"], body["lead_of"]) == (["payments", "search"], ["payments"])


def test_anonymous_callers_get_nothing(api_as, make_request):
    obj = make_request(S.SUBMITTED)
    client = api_as(None)
    for url in ["/api/v1/requests/", f"/api/v1/requests/{obj.pk}/", "/api/v1/me/"]:
        assert client.get(url).status_code in (401, 403)
    assert client.post("/api/v1/requests/", {"title": "x"}, format="json").status_code in (401, 403)


# --- query budgets ------------------------------------------------------------------------------


def _fill(make_request, n: int, target_domain) -> None:
    cycles = [factories.CycleFactory() for _ in range(3)]
    product = factories.DataProductFactory(domain=target_domain)
    for i in range(n):
        make_request(
            [S.DRAFT, S.SUBMITTED, S.ACCEPTED][i % 3],
            needed_by_cycle=cycles[i % 3],
            data_product=product if i % 2 else None,
            requester=factories.UserFactory(),
        )


@pytest.mark.parametrize("rows", [2, 20])
def test_the_request_list_costs_the_same_queries_for_2_or_20_rows(
    api_as, lead, make_request, target_domain, django_assert_num_queries, rows
):
    _fill(make_request, rows, target_domain)
    client = api_as(lead)
    # the caller's domains for allowed_actions (2: led, member), then the page itself (1)
    with django_assert_num_queries(3):
        response = client.get("/api/v1/requests/?ordering=-urgency")
    assert response.status_code == 200
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [2, 20])
def test_the_filtered_list_costs_the_same_queries_for_2_or_20_rows(
    api_as, lead, make_request, target_domain, django_assert_num_queries, rows
):
    _fill(make_request, rows, target_domain)
    # + 1 to resolve the domain slug
    with django_assert_num_queries(4):
        response = api_as(lead).get(
            "/api/v1/requests/?target_domain=payments&status=submitted&q=data"
        )
    assert response.status_code == 200


def test_a_request_page_of_the_api_answers_in_a_bounded_number_of_queries(
    api_as, lead, make_request, django_assert_max_num_queries
):
    obj = make_request(S.SUBMITTED)
    with django_assert_max_num_queries(3):
        response = api_as(lead).get(f"/api/v1/requests/{obj.pk}/")
    assert response.status_code == 200


def _discussed(make_request, rows):
    """``rows`` open requests about seller churn, the last one with ``rows`` comments."""
    from requests_app import services

    for i in range(rows):
        request = make_request(
            [S.SUBMITTED, S.ACCEPTED][i % 2],
            title=f"Seller churn data {i}",
            requester=factories.UserFactory(),
        )
    for i in range(rows):
        author = factories.UserFactory()
        services.comment_create(data_request=request, author=author, body=f"@lead see {i}")
    return request


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        # the ranked requests, the products, the caller's domains
        ("/api/v1/requests/similar/?q=seller+churn", 3),
        ("/api/v1/requests/{pk}/comments/", 3),  # the request, the page, its mentions
        ("/api/v1/requests/{pk}/events/", 2),  # the request, the page
    ],
)
def test_similar_comments_and_events_cost_the_same_queries_for_2_or_20_rows(
    api_as, lead, make_request, django_assert_num_queries, path, queries
):
    for rows in (2, 20):
        last = _discussed(make_request, rows)
        caller = type(lead).objects.get(pk=lead.pk)  # fresh, as each real request loads it
        with django_assert_num_queries(queries):
            response = api_as(caller).get(path.format(pk=last.pk))
        assert response.status_code == 200


@pytest.mark.parametrize("zone", ["UTC", "Europe/Amsterdam"])
def test_the_lean_list_answers_exactly_what_the_request_serializer_says(
    api_as, requester, lead, member, staff, other_lead, make_request, cycle, settings, zone
):
    """The list builds rows from plain values for speed; they must equal the documented shape."""
    from decimal import Decimal

    from django.test import RequestFactory
    from django.utils import timezone

    from requests_app.api.serializers import DataRequestSerializer

    settings.TIME_ZONE = zone
    product = factories.DataProductFactory(domain=make_request().target_domain)
    for state in S.values:
        make_request(state)
    make_request(S.ACCEPTED, data_product=product, reach=120, impact=Decimal("1.5"), score=2.5)
    make_request(S.DRAFT, target_domain=None, needed_by_cycle=None, requesting_domain=None)
    for user in (requester, lead, member, staff, other_lead):
        with timezone.override(zone):
            listed = api_as(user).get("/api/v1/requests/?page_size=200").json()["results"]
            fresh = type(user).objects.get(pk=user.pk)
            context = {"request": RequestFactory().get("/")}
            context["request"].user = fresh
            expected = [
                DataRequestSerializer(obj, context=context).data
                for obj in DataRequest.objects.order_by("-id")
            ]
        assert [dict(e) for e in expected] == listed, user.username
