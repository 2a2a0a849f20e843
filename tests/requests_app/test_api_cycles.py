"""The cycles API: everyone reads, staff write through the cycle services."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from requests_app.models import DataRequest, RoadmapCycle
from tests import factories

S = DataRequest.Status
NEW_CYCLE = {
    "name": "2032-Q1",
    "starts_on": "2032-01-01",
    "ends_on": "2032-03-31",
    "request_deadline": "2031-11-15",
}


def test_cycles_list_with_their_request_counts(api_as, member, make_request, cycle):
    make_request(S.DRAFT)
    make_request(S.SUBMITTED)
    make_request(S.ACCEPTED, is_late=True)
    body = api_as(member).get("/api/v1/cycles/").json()["results"]
    assert [(c["slug"], c["request_count"], c["late_count"], c["planned_count"]) for c in body] == [
        (cycle.slug, 2, 1, 1)
    ]


@pytest.mark.parametrize(
    ("today", "is_open", "days"),
    [
        (dt.date(2031, 11, 14), True, 1),
        (dt.date(2031, 11, 15), True, 0),
        (dt.date(2031, 11, 16), False, -1),
    ],
)
def test_a_cycle_is_open_for_early_requests_through_its_deadline_day(
    api_as, member, today, is_open, days
):
    factories.CycleFactory(
        name="2032-Q1",
        slug="2032-q1",
        starts_on=dt.date(2032, 1, 1),
        ends_on=dt.date(2032, 3, 31),
        request_deadline=dt.date(2031, 11, 15),
    )
    with time_machine.travel(dt.datetime(today.year, today.month, today.day, 12), tick=False):
        body = api_as(member).get("/api/v1/cycles/2032-q1/").json()
    assert (body["is_open_for_early_requests"], body["days_to_deadline"]) == (is_open, days)


def test_staff_create_a_cycle_and_its_slug_follows_the_name(api_as, staff):
    response = api_as(staff).post("/api/v1/cycles/", NEW_CYCLE, format="json")
    assert response.status_code == 201
    assert response.json()["slug"] == "2032-q1"
    assert RoadmapCycle.objects.filter(slug="2032-q1").exists()


@pytest.mark.parametrize("role", ["requester", "lead", "member", "other_lead"])
def test_only_staff_manage_cycles(request, api_as, role, cycle):
    client = api_as(request.getfixturevalue(role))
    assert client.post("/api/v1/cycles/", NEW_CYCLE, format="json").status_code == 403
    response = client.patch(f"/api/v1/cycles/{cycle.slug}/", {"name": "Renamed"}, format="json")
    assert response.status_code == 403
    cycle.refresh_from_db()
    assert cycle.name == "2031-Q1"


def test_a_deadline_after_the_start_is_refused(api_as, staff):
    response = api_as(staff).post(
        "/api/v1/cycles/", {**NEW_CYCLE, "request_deadline": "2032-02-01"}, format="json"
    )
    assert response.status_code == 400
    assert "request_deadline" in response.json()["errors"]


def test_moving_the_deadline_through_the_api_updates_early_and_late(
    api_as, staff, make_request, cycle
):
    obj = make_request(S.SUBMITTED, is_late=False)
    before = (obj.submitted_at.date() - dt.timedelta(days=2)).isoformat()
    response = api_as(staff).patch(
        f"/api/v1/cycles/{cycle.slug}/", {"request_deadline": before}, format="json"
    )
    assert response.status_code == 200
    obj.refresh_from_db()
    assert obj.is_late is True


def test_an_unknown_cycle_answers_404(api_as, member):
    assert api_as(member).get("/api/v1/cycles/nope/").status_code == 404


@pytest.mark.parametrize("cycles", [2, 20])
def test_the_cycle_list_costs_one_query_whatever_its_length(
    api_as, member, django_assert_num_queries, cycles
):
    for _ in range(cycles):
        factories.CycleFactory()
    client = api_as(member)
    with django_assert_num_queries(1):
        assert len(client.get("/api/v1/cycles/").json()["results"]) == cycles


def test_cycles_are_ordered_on_request_and_an_unknown_ordering_answers_400(api_as, member):
    early, late = factories.CycleFactory(), factories.CycleFactory()
    client = api_as(member)
    slugs = [c["slug"] for c in client.get("/api/v1/cycles/?ordering=-starts_on").json()["results"]]
    assert slugs == [late.slug, early.slug]
    response = client.get("/api/v1/cycles/?ordering=colour")
    assert response.status_code == 400
    assert "starts_on" in response.json()["detail"]
