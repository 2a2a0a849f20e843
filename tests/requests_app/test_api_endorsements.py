"""Demand through the API: endorsing (rules per state, role and input), withdrawing, demand and
endorsement_count on every request representation, ordering by demand, pinned query counts."""

from __future__ import annotations

import pytest

from notifications.models import Notification
from requests_app.models import DataRequest, Endorsement
from requests_app.services import demand_recount
from requests_app.services.rules import MAX_TEXT
from tests import factories

S = DataRequest.Status
NEED = "Our pricing model needs it to price listings."


@pytest.fixture
def pricing(db):
    return factories.DomainFactory(name="Pricing", slug="pricing")


@pytest.fixture
def second_pm(db, pricing):
    """A product manager of another team (Pricing) who needs the same data."""
    user = factories.UserFactory(username="pm2")
    pricing.members.add(user)
    return user


def endorse(client, data_request, **body):
    return client.post(
        f"/api/v1/requests/{data_request.pk}/endorsements/",
        {"business_need": NEED, **body},
        format="json",
    )


def test_a_second_team_endorses_and_the_request_counts_two_teams(
    api_as, make_request, second_pm, lead, cycle
):
    obj = make_request(S.SUBMITTED)
    response = endorse(api_as(second_pm), obj, urgency="high", needed_by_cycle=cycle.slug)
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {
        "id", "user", "requesting_domain", "business_need", "urgency", "needed_by_cycle",
        "created_at",
    }  # fmt: skip
    assert body["user"] == "pm2"
    assert body["requesting_domain"] == "pricing"  # the endorser's only team, by default
    assert body["urgency"] == "high"
    assert body["needed_by_cycle"] == cycle.slug
    detail = api_as(lead).get(f"/api/v1/requests/{obj.pk}/").json()
    assert (detail["demand"], detail["endorsement_count"]) == (2, 1)
    listed = api_as(lead).get("/api/v1/requests/").json()["results"][0]
    assert (listed["demand"], listed["endorsement_count"]) == (2, 1)
    endorsements = api_as(lead).get(f"/api/v1/requests/{obj.pk}/endorsements/").json()
    assert [e["requesting_domain"] for e in endorsements["results"]] == ["pricing"]


def test_an_endorser_watches_the_request_and_hears_its_decision(
    api_as, make_request, second_pm, lead
):
    obj = make_request(S.SUBMITTED)
    endorse(api_as(second_pm), obj)
    assert obj.watchers.filter(pk=second_pm.pk).exists()
    api_as(lead).post(f"/api/v1/requests/{obj.pk}/triage/", format="json")
    assert Notification.objects.filter(recipient=second_pm, kind="triaged").exists()


def test_the_leads_and_the_requester_are_told_of_an_endorsement(
    api_as, make_request, second_pm, lead, requester
):
    obj = make_request(S.SUBMITTED)
    endorse(api_as(second_pm), obj)
    told = Notification.objects.filter(kind="endorsed", channel="in_app")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["lead", "pm"]
    assert "needs" in told.first().message
    assert "demand is now 2" in told.first().message
    assert not Notification.objects.filter(kind="endorsed", recipient=second_pm).exists()
    # email goes to the daily digest by default (digest-able), not at once
    assert set(
        Notification.objects.filter(kind="endorsed", channel="email").values_list(
            "digest", flat=True
        )
    ) == {"daily"}


def test_a_team_already_counted_adds_an_endorsement_but_no_demand(
    api_as, make_request, requesting_domain
):
    obj = make_request(S.SUBMITTED)
    colleague = factories.UserFactory(username="colleague")
    requesting_domain.members.add(colleague)
    endorse(api_as(colleague), obj)
    obj.refresh_from_db()
    assert (obj.demand, obj.endorsement_count) == (1, 1)


@pytest.mark.parametrize("state", [S.SUBMITTED, S.TRIAGED, S.ACCEPTED, S.IN_PROGRESS, S.DEFERRED])
def test_open_requests_take_endorsements(api_as, make_request, second_pm, state):
    assert endorse(api_as(second_pm), make_request(state)).status_code == 201


@pytest.mark.parametrize("state", [S.DRAFT, S.DELIVERED, S.DECLINED, S.DUPLICATE, S.WITHDRAWN])
def test_other_requests_refuse_endorsements(api_as, make_request, second_pm, state):
    response = endorse(api_as(second_pm), make_request(state))
    assert response.status_code == 400
    assert "only open requests" in response.json()["detail"]
    assert not Endorsement.objects.exists()


def test_the_requester_cannot_endorse_their_own_request(api_as, make_request, requester):
    response = endorse(api_as(requester), make_request(S.SUBMITTED))
    assert response.status_code == 400
    assert "your own request" in response.json()["detail"]


def test_a_second_endorsement_by_the_same_person_conflicts(api_as, make_request, second_pm):
    obj = make_request(S.SUBMITTED)
    assert endorse(api_as(second_pm), obj).status_code == 201
    response = endorse(api_as(second_pm), obj)
    assert response.status_code == 409
    assert "already endorsed" in response.json()["detail"]
    assert Endorsement.objects.count() == 1


def test_anonymous_callers_cannot_endorse(api_as, make_request):
    assert endorse(api_as(None), make_request(S.SUBMITTED)).status_code in (401, 403)


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        ({"requesting_domain": "nowhere"}, "requesting_domain", "No domain with slug nowhere"),
        ({"business_need": ""}, "business_need", "Say why your team needs"),
        ({"business_need": "   "}, "business_need", "Say why your team needs"),
        ({"business_need": "x" * (MAX_TEXT + 1)}, "business_need", "no more than"),
        ({"urgency": "asap"}, "urgency", "not a valid choice"),
        ({"needed_by_cycle": "1999-q1"}, "needed_by_cycle", "No cycle with slug"),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_the_field(
    api_as, make_request, second_pm, body, field, says
):
    response = endorse(api_as(second_pm), make_request(S.SUBMITTED), **body)
    assert response.status_code == 400
    assert says in str(response.json()), response.json()
    assert field in str(response.json())


def test_a_user_of_several_teams_names_the_team(api_as, make_request, second_pm, requesting_domain):
    factories.DomainFactory(slug="ads").members.add(second_pm)
    response = endorse(api_as(second_pm), make_request(S.SUBMITTED))
    assert response.status_code == 400
    assert "requesting_domain" in response.json()["errors"]
    assert (
        endorse(api_as(second_pm), make_request(S.SUBMITTED), requesting_domain="ads").status_code
        == 201
    )


@pytest.mark.parametrize(
    "path", ["/api/v1/requests/999999/endorsements/", "/api/v1/requests/x/endorsements/"]
)
def test_endorsing_a_request_you_cannot_see_answers_404(api_as, second_pm, path):
    response = api_as(second_pm).post(path, {"business_need": NEED}, format="json")
    assert response.status_code == 404


def test_the_author_withdraws_and_demand_drops(api_as, make_request, second_pm):
    obj = make_request(S.SUBMITTED)
    eid = endorse(api_as(second_pm), obj).json()["id"]
    response = api_as(second_pm).delete(f"/api/v1/requests/{obj.pk}/endorsements/{eid}/")
    assert response.status_code == 204
    obj.refresh_from_db()
    assert (obj.demand, obj.endorsement_count) == (1, 0)


@pytest.mark.parametrize(("who", "code"), [("requester", 403), ("lead", 403), ("staff", 204)])
def test_only_the_author_or_staff_withdraws(api_as, make_request, second_pm, request, who, code):
    obj = make_request(S.SUBMITTED)
    eid = endorse(api_as(second_pm), obj).json()["id"]
    user = request.getfixturevalue(who)
    response = api_as(user).delete(f"/api/v1/requests/{obj.pk}/endorsements/{eid}/")
    assert response.status_code == code
    assert Endorsement.objects.filter(pk=eid).exists() == (code != 204)


def test_withdrawing_an_unknown_endorsement_answers_404(api_as, make_request, second_pm):
    obj = make_request(S.SUBMITTED)
    response = api_as(second_pm).delete(f"/api/v1/requests/{obj.pk}/endorsements/424242/")
    assert response.status_code == 404


def test_the_list_orders_by_demand(api_as, make_request, lead, second_pm, pricing):
    low = make_request(S.SUBMITTED, title="low")
    high = make_request(S.SUBMITTED, title="high")
    endorse(api_as(second_pm), high)
    ads = factories.DomainFactory(slug="ads")
    third = factories.UserFactory(username="pm3")
    ads.members.add(third)
    endorse(api_as(third), high)
    endorse(api_as(third), low)
    rows = api_as(lead).get("/api/v1/requests/?ordering=-demand").json()["results"]
    assert [(r["title"], r["demand"]) for r in rows] == [("high", 3), ("low", 2)]


def test_action_answers_carry_demand(api_as, make_request, lead, second_pm):
    obj = make_request(S.SUBMITTED)
    endorse(api_as(second_pm), obj)
    body = api_as(lead).post(f"/api/v1/requests/{obj.pk}/triage/", format="json").json()
    assert (body["demand"], body["endorsement_count"]) == (2, 1)


@pytest.mark.parametrize("rows", [2, 20])
def test_the_endorsement_list_costs_the_same_queries_for_2_or_20_rows(
    api_as, make_request, lead, django_assert_num_queries, rows
):
    obj = make_request(S.SUBMITTED)
    for i in range(rows):
        Endorsement.objects.create(
            request=obj,
            user=factories.UserFactory(),
            requesting_domain=factories.DomainFactory(),
            business_need=f"need {i}",
        )
    with django_assert_num_queries(2):  # the request, the page (short: no count)
        api_as(lead).get(f"/api/v1/requests/{obj.pk}/endorsements/")


def test_board_rows_carry_demand_without_extra_queries(
    api_as, lead, target_domain, cycle, board_requests, second_pm, django_assert_max_num_queries
):
    url = f"/api/v1/domains/{target_domain.slug}/board/?cycle={cycle.slug}"
    with django_assert_max_num_queries(100) as plain:
        api_as(lead).get(url)
    for row in board_requests:
        Endorsement.objects.create(
            request=row, user=second_pm, requesting_domain=second_pm.member_domains.get(),
            business_need="Pricing",
        )  # fmt: skip
        demand_recount(row)
    with django_assert_max_num_queries(len(plain.captured_queries)):
        rows = api_as(lead).get(url).json()["requests"]
    assert {(r["demand"], r["endorsement_count"]) for r in rows} == {(2, 1)}
