"""The roadmap timeline: promised requests per producing domain and quarter, filters, caps, and a
number of queries that does not grow with the data."""

from __future__ import annotations

import pytest

from requests_app import roadmap
from requests_app.models import DataRequest
from tests import factories
from tests.requests_app.conftest import make_cycle

pytestmark = pytest.mark.django_db
S = DataRequest.Status


@pytest.fixture
def quarters(db):
    return [make_cycle(f"2031-Q{n}", deadline_in_days=-60 + 91 * n) for n in (1, 2, 3, 4)]


def promise(domain, cycle, *, team=None, status=S.ACCEPTED, rank=None, **extra):
    return factories.DataRequestFactory(
        target_domain=domain,
        requesting_domain=team,
        needed_by_cycle=cycle,
        planned_cycle=cycle,
        status=status,
        effort=2,
        rank=rank,
        **extra,
    )


def test_promises_sit_in_their_planned_quarter_per_producing_domain(
    quarters, target_domain, requesting_domain
):
    accepted = promise(target_domain, quarters[1], team=requesting_domain)
    started = promise(target_domain, quarters[3], status=S.IN_PROGRESS)
    promise(target_domain, quarters[1], status=S.SUBMITTED)  # not promised yet
    promise(target_domain, quarters[1], status=S.DELIVERED)  # kept, no longer a promise
    timeline = roadmap.roadmap_timeline(start=quarters[0].slug)
    [row] = timeline.rows
    assert row.domain == target_domain
    assert [[r.pk for r in cell.requests] for cell in row.cells] == [
        [],
        [accepted.pk],
        [],
        [started.pk],
    ]


def test_a_pm_sees_what_other_teams_promised_their_team(quarters, target_domain, requesting_domain):
    ours = promise(target_domain, quarters[0], team=requesting_domain)
    promise(target_domain, quarters[0], team=factories.DomainFactory())
    timeline = roadmap.roadmap_timeline(start=quarters[0].slug, team=requesting_domain)
    assert [r.pk for r in timeline.rows[0].cells[0].requests] == [ours.pk]


def test_a_full_cell_shows_the_top_ranked_and_links_to_the_rest(quarters, target_domain):
    for rank in range(roadmap.CELL_CAP + 3, 0, -1):
        promise(target_domain, quarters[0], rank=rank)
    cell = roadmap.roadmap_timeline(start=quarters[0].slug).rows[0].cells[0]
    assert [r.rank for r in cell.requests] == list(range(1, roadmap.CELL_CAP + 1))
    assert cell.more == 3
    assert "planned_cycle=2031-q1" in cell.more_url


@pytest.mark.parametrize("per_cell", [1, 9])
def test_the_page_makes_six_queries_however_big_the_roadmap(
    per_cell, quarters, client, requester, django_assert_num_queries
):
    for _ in range(3):
        domain = factories.DomainFactory()
        for cycle in quarters:
            for _ in range(per_cell):
                promise(domain, cycle)
    client.force_login(requester)
    with django_assert_num_queries(6):
        response = client.get("/roadmap/", {"start": quarters[0].slug})
    assert response.status_code == 200


def test_an_unknown_team_answers_400_saying_so(client, requester, quarters):
    client.force_login(requester)
    response = client.get("/roadmap/", {"team": "nope"})
    assert response.status_code == 400
    assert "Unknown team" in response.content.decode()
