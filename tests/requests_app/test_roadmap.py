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


def promise(domain, cycle, *, team=None, status=S.ACCEPTED, rank=None, effort=2, **extra):
    return factories.DataRequestFactory(
        target_domain=domain,
        requesting_domain=team,
        needed_by_cycle=cycle,
        planned_cycle=cycle,
        status=status,
        effort=effort,
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


def test_the_overview_shows_a_cells_top_promises_and_links_to_the_domains_timeline(
    quarters, target_domain
):
    for rank in range(roadmap.CELL_CAP + 3, 0, -1):
        promise(target_domain, quarters[1], rank=rank)
    cell = roadmap.roadmap_timeline(start=quarters[0].slug).rows[0].cells[1]
    assert [r.rank for r in cell.requests] == list(range(1, roadmap.OVERVIEW_CAP + 1))
    assert cell.more == roadmap.CELL_CAP + 3 - roadmap.OVERVIEW_CAP
    # The same quarters, narrowed to the domain: more of each cell.
    assert cell.more_url == f"/roadmap/?domain={target_domain.slug}&start={quarters[0].slug}"


def test_a_domains_timeline_shows_more_of_a_cell_and_links_to_the_rest(quarters, target_domain):
    for rank in range(roadmap.CELL_CAP + 3, 0, -1):
        promise(target_domain, quarters[0], rank=rank)
    timeline = roadmap.roadmap_timeline(start=quarters[0].slug, producer=target_domain)
    cell = timeline.rows[0].cells[0]
    assert [r.rank for r in cell.requests] == list(range(1, roadmap.CELL_CAP + 1))
    assert cell.more == 3
    assert cell.more_url.startswith("/requests/?")
    assert f"target_domain={target_domain.slug}&planned_cycle=2031-q1" in cell.more_url


def test_a_reader_follows_the_overviews_more_link_to_the_domains_promises(
    quarters, target_domain, client, requester
):
    titles = [f"Promise number {rank}" for rank in range(1, roadmap.CELL_CAP + 2)]
    for rank, title in enumerate(titles, start=1):
        promise(target_domain, quarters[0], rank=rank, title=title)
    client.force_login(requester)
    overview = client.get("/roadmap/", {"start": quarters[0].slug}).content.decode()
    shown = roadmap.OVERVIEW_CAP
    assert titles[shown - 1] in overview
    assert titles[shown] not in overview
    more = f"and {len(titles) - shown} more"
    assert more in overview
    link = f"/roadmap/?domain={target_domain.slug}&amp;start={quarters[0].slug}"
    assert f'href="{link}"' in overview
    narrowed = client.get(link.replace("&amp;", "&")).content.decode()
    assert titles[roadmap.CELL_CAP - 1] in narrowed
    assert titles[roadmap.CELL_CAP] not in narrowed
    assert "and 1 more" in narrowed


def test_rows_past_the_cap_are_counted_not_shown(quarters, monkeypatch):
    monkeypatch.setattr(roadmap, "ROW_CAP", 2)
    for name in ("Delta", "Alpha", "Charlie", "Bravo"):
        domain = factories.DomainFactory(name=name)
        promise(domain, quarters[0])
        promise(domain, quarters[2])
    timeline = roadmap.roadmap_timeline(start=quarters[0].slug)
    assert [row.domain.name for row in timeline.rows] == ["Alpha", "Bravo"]
    assert [len(cell.requests) for cell in timeline.rows[1].cells] == [1, 0, 1, 0]
    assert timeline.more_rows == 2


def test_a_cell_counts_only_the_promises_the_filters_keep(
    quarters, target_domain, requesting_domain
):
    for rank in range(1, roadmap.CELL_CAP + 3):
        promise(target_domain, quarters[0], team=requesting_domain, rank=rank)
    promise(target_domain, quarters[0], team=factories.DomainFactory(), rank=0)
    promise(factories.DomainFactory(), quarters[0], team=requesting_domain)
    timeline = roadmap.roadmap_timeline(
        start=quarters[0].slug, producer=target_domain, team=requesting_domain
    )
    [row] = timeline.rows
    cell = row.cells[0]
    assert [r.rank for r in cell.requests] == list(range(1, roadmap.CELL_CAP + 1))
    assert (cell.total, cell.more) == (roadmap.CELL_CAP + 2, 2)
    assert {r.requesting_domain for r in cell.requests} == {requesting_domain}
    assert timeline.more_rows == 0


def test_each_promise_says_for_whom_how_big_and_whether_started(
    quarters, target_domain, requesting_domain, client, requester
):
    promise(target_domain, quarters[0], team=requesting_domain, status=S.IN_PROGRESS, effort=3)
    client.force_login(requester)
    page = client.get("/roadmap/", {"start": quarters[0].slug}).content.decode()
    assert f"for {requesting_domain.name} · 3 pts · in progress" in page


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
