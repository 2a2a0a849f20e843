"""The board API: shape, errors, roles × actions, query counts."""

import pytest

from requests_app.models import DataRequest
from tests import factories
from tests.requests_app.board.board_fixtures import make_planned

S = DataRequest.Status
pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "requester", "other_lead", "member", "lead", "staff"]


def _user(request, role):
    return None if role == "anonymous" else request.getfixturevalue(role)


def test_board_answers_the_contract_shape(api_as, lead, target_domain, cycle, board_requests):
    response = api_as(lead).get(f"/api/v1/domains/{target_domain.slug}/board/?cycle={cycle.slug}")
    assert response.status_code == 200
    body = response.json()
    assert {
        k: body[k] for k in ("domain", "cycle", "capacity", "used", "remaining", "version")
    } == {
        "domain": target_domain.slug,
        "cycle": cycle.slug,
        "capacity": 10,
        "used": 14,
        "remaining": -4,
        "version": 1,
    }
    assert [(r["rank"], r["effort"], r["above_capacity"]) for r in body["requests"]] == [
        (1, 4, False),
        (2, 5, False),
        (3, 3, True),
        (4, 2, True),
    ]
    assert {"score", "urgency", "requester", "is_late", "age_days", "allowed_actions"} <= set(
        body["requests"][0]
    )


def test_unknown_cycle_answers_400_naming_the_valid_cycles(api_as, lead, target_domain, cycle):
    response = api_as(lead).get(f"/api/v1/domains/{target_domain.slug}/board/?cycle=nope")
    assert response.status_code == 400
    assert cycle.slug in response.json()["detail"]


def test_unknown_domain_answers_404(api_as, lead, cycle):
    assert api_as(lead).get(f"/api/v1/domains/nope/board/?cycle={cycle.slug}").status_code == 404


def test_stale_reorder_answers_409_with_the_current_version(
    api_as, lead, target_domain, cycle, board_requests
):
    client = api_as(lead)
    url = f"/api/v1/domains/{target_domain.slug}/board/reorder/"
    order = [r.pk for r in reversed(board_requests)]
    first = client.post(url, {"cycle": cycle.slug, "order": order, "version": 1}, format="json")
    assert first.json() == {"version": 2}
    second = client.post(
        url, {"cycle": cycle.slug, "order": order[::-1], "version": 1}, format="json"
    )
    assert second.status_code == 409
    assert second.json()["current_version"] == 2
    assert "Reload" in second.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"cycle": "x", "order": "not a list", "version": 1},
        {"order": [1, 2], "version": "one"},
        {"cycle": "2027-q1", "order": [None], "version": 1},
    ],
)
def test_malformed_reorder_bodies_answer_400(api_as, lead, target_domain, cycle, body):
    response = api_as(lead).post(
        f"/api/v1/domains/{target_domain.slug}/board/reorder/", body, format="json"
    )
    assert response.status_code == 400
    assert response.json()["detail"]


LEADS = {"lead", "staff"}


def _call(client, action, domain, cycle, board_requests):
    slug = domain.slug
    first = board_requests[0]
    if action == "view board":
        return client.get(f"/api/v1/domains/{slug}/board/?cycle={cycle.slug}")
    if action == "reorder":
        order = [r.pk for r in reversed(board_requests)]
        return client.post(
            f"/api/v1/domains/{slug}/board/reorder/",
            {"cycle": cycle.slug, "order": order, "version": 1},
            format="json",
        )
    if action == "set capacity":
        return client.put(
            f"/api/v1/domains/{slug}/capacity/", {"cycle": cycle.slug, "capacity": 8}, format="json"
        )
    if action == "score":
        return client.post(
            f"/api/v1/requests/{first.pk}/score/",
            {"reach": 100, "impact": "2", "confidence": 80},
            format="json",
        )
    if action == "plan":
        triaged = factories.DataRequestFactory(target_domain=domain, status=S.TRIAGED)
        return client.post(
            f"/api/v1/requests/{triaged.pk}/plan/", {"planned_cycle": cycle.slug}, format="json"
        )
    if action == "view inbox":
        return client.get(f"/api/v1/domains/{slug}/triage/")
    if action == "bulk triage":
        submitted = factories.DataRequestFactory(target_domain=domain, status=S.SUBMITTED)
        return client.post(
            f"/api/v1/domains/{slug}/triage/bulk/",
            {"action": "triage", "ids": [submitted.pk]},
            format="json",
        )
    raise AssertionError(action)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "action",
    ["view board", "reorder", "set capacity", "score", "plan", "view inbox", "bulk triage"],
)
def test_each_role_may_do_exactly_what_the_roles_table_says(
    request, api_as, role, action, target_domain, cycle, board_requests
):
    response = _call(api_as(_user(request, role)), action, target_domain, cycle, board_requests)
    if role == "anonymous":
        expected = 401
    elif action in ("view board", "view inbox"):
        expected = 200  # plans are transparent to everyone signed in
    else:
        expected = 200 if role in LEADS else 403
    assert response.status_code == expected, response.json()


def test_bulk_answers_a_result_per_request(api_as, lead, target_domain, cycle):
    a = factories.DataRequestFactory(target_domain=target_domain, status=S.SUBMITTED)
    b = factories.DataRequestFactory(target_domain=target_domain, status=S.DRAFT)
    response = api_as(lead).post(
        f"/api/v1/domains/{target_domain.slug}/triage/bulk/",
        {"action": "accept", "ids": [a.pk, b.pk], "planned_cycle": cycle.slug, "effort": 2},
        format="json",
    )
    assert response.status_code == 200
    assert [(r["id"], r["ok"]) for r in response.json()] == [(a.pk, True), (b.pk, False)]


def test_board_api_query_count_is_constant_in_board_size(
    api_as, lead, target_domain, cycle, django_assert_max_num_queries
):
    client = api_as(lead)
    url = f"/api/v1/domains/{target_domain.slug}/board/?cycle={cycle.slug}"
    make_planned(target_domain, cycle, 1, 1)
    client.get(url)  # warm the user's cached domains
    with django_assert_max_num_queries(7) as small:
        response = client.get(url)
    assert response.status_code == 200
    for rank in range(2, 21):
        make_planned(target_domain, cycle, 1, rank)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.json()["requests"]) == 20


def test_inbox_api_lists_oldest_first(api_as, lead, target_domain):
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    new = factories.DataRequestFactory(
        target_domain=target_domain, status=S.SUBMITTED, submitted_at=now
    )
    old = factories.DataRequestFactory(
        target_domain=target_domain, status=S.SUBMITTED, submitted_at=now - dt.timedelta(days=20)
    )
    body = api_as(lead).get(f"/api/v1/domains/{target_domain.slug}/triage/").json()
    assert [r["id"] for r in body["requests"]] == [old.pk, new.pk]
    assert [r["overdue"] for r in body["requests"]] == [True, False]


def test_bulk_with_an_absurd_id_answers_400(api_as, lead, target_domain):
    response = api_as(lead).post(
        f"/api/v1/domains/{target_domain.slug}/triage/bulk/",
        {"action": "triage", "ids": [99999999999999999999]},
        format="json",
    )
    assert response.status_code == 400
    assert "ids" in response.json()["errors"]


def test_the_board_built_directly_equals_its_documented_serializer(
    api_as, lead, member, requester, staff, target_domain, cycle, board_requests
):
    from decimal import Decimal

    from django.test import RequestFactory

    from requests_app.board import selectors
    from requests_app.board.api import BoardSerializer

    board_requests[0].__class__.objects.filter(pk=board_requests[0].pk).update(
        reach=100, impact=Decimal("0.5"), confidence=80, score=20.0, requesting_domain=None
    )
    for user in (lead, member, requester, staff):
        got = api_as(user).get(f"/api/v1/domains/{target_domain.slug}/board/?cycle={cycle.slug}")
        context = {"request": RequestFactory().get("/")}
        context["request"].user = type(user).objects.get(pk=user.pk)
        board = selectors.board_for(domain=target_domain, cycle=cycle)
        assert got.json() == BoardSerializer(board, context=context).data, user.username
