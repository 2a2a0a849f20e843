"""From a review figure to the request list behind it: every count on the review page links to a
list of exactly that many requests (followed link by link on the hand-built cycle)."""

from __future__ import annotations

import html as html_lib
import re

import pytest
import time_machine

from review.links import DOMAIN_LINKED, HEADLINES
from tests.review.review_fixture import NOW, build_review_world

pytestmark = pytest.mark.django_db

URL = "/cycles/2027-q2/review/"
LIST_LINK = re.compile(r'<a (?:data-metric="(\w+)" )?href="(/requests/\?[^"]*)">([^<]*)</a>')

# Figures whose link is not a count of the requests listed, so the number cannot equal the row
# count: rates link to their numerator (early_pct → the early requests, delivery_pct → the
# delivered ones) and effort figures are sums of effort points over the listed requests.
NOT_COUNTS = frozenset({"early_pct", "delivery_pct", "planned_effort", "delivered_effort"})


@pytest.fixture
def world(settings):
    settings.TRIAGE_SLA_WORKING_DAYS = 5
    return build_review_world()


@pytest.fixture
def reader(world, client, requester):
    """A client reading the review page and the lists it links to, all at the fixture's NOW
    (overdue triage depends on the day; signed in then, or the session would have expired)."""
    with time_machine.travel(NOW, tick=False):
        client.force_login(requester)
        yield client


def listed(client, url: str) -> int:
    """How many requests the request list at ``url`` shows (the fixture fits on one page)."""
    response = client.get(html_lib.unescape(url))
    assert response.status_code == 200, url
    body = response.content.decode()
    tbody = re.search(r'<table class="requests">.*?<tbody>(.*?)</tbody>', body, re.S).group(1)
    assert "Next →" not in body
    return len(re.findall(r'<a href="/requests/\d+/">', tbody))


def rows(html: str, attribute: str) -> dict[str, str]:
    return dict(re.findall(rf'<tr {attribute}="([^"]*)">(.*?)</tr>', html, re.S))


def test_every_headline_count_links_to_a_list_of_that_many_requests(reader):
    html = reader.get(URL).content.decode()
    headlines = rows(html, "data-figure")
    followed = []
    for key, row in headlines.items():
        live = re.search(r'<td class="num live">(.*?)</td>', row, re.S).group(1)
        link = LIST_LINK.search(live)
        if not link or key in NOT_COUNTS:
            continue
        assert link.group(3).isdigit(), (key, link.group(3))
        assert listed(reader, link.group(2)) == int(link.group(3)), key
        followed.append(key)
    # Every headline that names a linked metric was followed (or is knowingly not a count).
    linked = {key for key, _label, _unit, metric in HEADLINES if metric}
    assert set(followed) == linked - NOT_COUNTS
    assert {"accepted", "overdue_triage", "carried_over"} <= set(followed)


def test_every_per_domain_count_links_to_a_list_of_that_many_requests(reader, world):
    html = reader.get(URL).content.decode()
    domains = rows(html, "data-domain")
    assert set(domains) == {"payments", "search", "logistics"}
    for slug, row in domains.items():
        links = LIST_LINK.findall(row)
        assert [metric for metric, _url, _n in links] == list(DOMAIN_LINKED), slug
        for metric, url, shown in links:
            assert f"target_domain={slug}" in url
            if metric in NOT_COUNTS:
                continue
            assert listed(reader, url) == int(shown), (slug, metric)


def test_every_dependency_and_team_count_links_to_a_list_of_that_many_requests(reader):
    html = reader.get(URL).content.decode() + reader.get(f"{URL}dependencies/").content.decode()
    for table in ("matrix", "teams"):
        body = re.search(rf'<table class="[^"]*\b{table}\b[^"]*">(.*?)</table>', html, re.S)
        links = LIST_LINK.findall(body.group(1))
        assert links, table
        for _metric, url, shown in links:
            assert listed(reader, url) == int(shown), (table, url)


def test_the_accepted_figure_links_to_everything_committed_to(reader):
    html = reader.get(URL).content.decode()
    row = rows(html, "data-figure")["accepted"]
    url = html_lib.unescape(LIST_LINK.search(row).group(2))
    assert "status=accepted&status=in_progress&status=delivered" in url
    assert listed(reader, url) == 5  # P1, P2, P3, S1, L1 (hand-counted)


def test_the_request_list_filters_overdue_triage_and_carried_over(reader, world):
    """The two filters the review links through, against the fixture's table."""
    keys = {r.pk: k for k, r in world.requests.items()}

    def found(query: str) -> set[str]:
        body = reader.get(f"/requests/?{query}").content.decode()
        return {keys[int(pk)] for pk in re.findall(r'<a href="/requests/(\d+)/">', body)}

    assert found("needed_by_cycle=2027-q2&triage_overdue=true") == {"P5", "L3"}
    assert found("needed_by_cycle=2027-q2&triage_overdue=false") >= {"L2", "P1"}
    # Planned here and still open (P2, P3, P7), delivered after the cycle ended (S1), deferred to
    # a later cycle (S2); S3 was deferred without a later cycle.
    assert found("carried_over_from=2027-q2") == {"P2", "P3", "P7", "S1", "S2"}


def test_the_api_takes_the_same_filters(world, api_as, requester):
    with time_machine.travel(NOW, tick=False):
        client = api_as(requester)
        overdue = client.get("/api/v1/requests/?needed_by_cycle=2027-q2&triage_overdue=true")
        carried = client.get("/api/v1/requests/?carried_over_from=2027-q2&target_domain=search")
        bad = client.get("/api/v1/requests/?carried_over_from=1999-q1")
    assert {r["key"] for r in overdue.json()["results"]} == {
        world.requests["P5"].key,
        world.requests["L3"].key,
    }
    assert {r["key"] for r in carried.json()["results"]} == {
        world.requests["S1"].key,
        world.requests["S2"].key,
    }
    assert bad.status_code == 400
    assert "2027-q2" in bad.content.decode()
