"""The roadmap calendar feed parses with the icalendar library and holds every cycle's dates."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycles():
    return [
        factories.CycleFactory(
            name="2027-Q1",
            slug="2027-q1",
            starts_on=dt.date(2027, 1, 1),
            ends_on=dt.date(2027, 3, 31),
            request_deadline=dt.date(2026, 11, 15),
            review_on=dt.date(2027, 3, 24),
        ),
        factories.CycleFactory(
            name="2027-Q2",
            slug="2027-q2",
            starts_on=dt.date(2027, 4, 1),
            ends_on=dt.date(2027, 6, 30),
            request_deadline=dt.date(2027, 2, 15),
            review_on=None,
        ),
    ]


def events_of(response):
    calendar = Calendar.from_ical(response.content)
    return calendar, {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def test_the_feed_lists_every_cycles_deadline_start_end_and_review(cycles, client):
    response = client.get("/cycles.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar, events = events_of(response)
    assert str(calendar["version"]) == "2.0"
    summaries = sorted(str(e["summary"]) for e in events.values())
    assert summaries == [
        "2027-Q1 ends",
        "2027-Q1 request deadline",
        "2027-Q1 review",
        "2027-Q1 starts",
        "2027-Q2 ends",
        "2027-Q2 request deadline",
        "2027-Q2 starts",  # no review date set: no review event
    ]
    deadline = events["2027-q1-request-deadline@testserver"]
    assert deadline.decoded("dtstart") == dt.date(2026, 11, 15)
    assert deadline.decoded("dtend") == dt.date(2026, 11, 16)  # one all-day event
    assert "/cycles/2027-q1/review/" in str(deadline["url"])
    assert events["2027-q1-review-on@testserver"].decoded("dtstart") == dt.date(2027, 3, 24)


def test_event_ids_are_stable_so_calendars_update_in_place(cycles, client):
    _cal, before = events_of(client.get("/cycles.ics"))
    cycle = cycles[0]
    cycle.request_deadline = dt.date(2026, 11, 20)
    cycle.save()
    _cal, after = events_of(client.get("/cycles.ics"))
    assert before.keys() == after.keys()
    assert after["2027-q1-request-deadline@testserver"].decoded("dtstart") == dt.date(2026, 11, 20)


def test_the_feed_is_one_query_whatever_the_number_of_cycles(
    cycles, client, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = client.get("/cycles.ics")
    assert response.status_code == 200
    factories.CycleFactory(starts_on=dt.date(2028, 1, 1))
    factories.CycleFactory(starts_on=dt.date(2028, 4, 1))
    with django_assert_num_queries(1):
        response = client.get("/cycles.ics")
    assert response.status_code == 200
