"""Cycle dates stay in a sane range, and a cycle stored with an extreme date breaks nothing
(issue #18, point 8)."""

from __future__ import annotations

import datetime as dt

import pytest

from requests_app.models import RoadmapCycle

pytestmark = pytest.mark.django_db
FAR = dt.date(9999, 12, 31)


@pytest.fixture
def far_cycle(db):
    """A cycle stored before the bound existed (or by a bulk loader): it ends on 9999-12-31."""
    return RoadmapCycle.objects.create(
        name="Forever",
        slug="forever",
        request_deadline=dt.date(2027, 1, 1),
        starts_on=dt.date(2027, 2, 1),
        ends_on=FAR,
        review_on=FAR,
    )


@pytest.mark.parametrize(
    "path",
    [
        "/cycles.ics",
        "/cycles/forever/review/",
        "/api/v1/cycles/forever/review/",
        "/api/v1/cycles/forever/review.csv",
        "/api/v1/cycles/",
        "/cycles/",
    ],
)
def test_a_cycle_ending_9999_12_31_breaks_no_page(client, staff, far_cycle, path):
    client.force_login(staff)
    response = client.get(path)
    assert response.status_code == 200, path


def test_the_feed_carries_the_far_milestone(client, far_cycle):
    body = client.get("/cycles.ics").content.decode()
    assert "DTSTART;VALUE=DATE:99991231" in body


@pytest.mark.parametrize(
    ("field", "value"),
    [("ends_on", "9999-12-31"), ("starts_on", "1900-01-01"), ("review_on", "2400-01-01")],
)
def test_staff_cannot_create_a_cycle_outside_the_sane_range(api_as, staff, field, value):
    body = {
        "name": "2027-Q1",
        "request_deadline": "2026-12-01",
        "starts_on": "2027-01-01",
        "ends_on": "2027-03-31",
        "review_on": "2027-03-20",
        field: value,
    }
    response = api_as(staff).post("/api/v1/cycles/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert "between 2000-01-01 and 2199-12-31" in response.json()["detail"]


def test_a_cycle_longer_than_two_years_is_refused(api_as, staff):
    body = {
        "name": "Long",
        "request_deadline": "2026-12-01",
        "starts_on": "2027-01-01",
        "ends_on": "2030-01-01",
    }
    response = api_as(staff).post("/api/v1/cycles/", body, format="json")
    assert response.status_code == 400
    assert "ends_on" in response.json()["errors"]
