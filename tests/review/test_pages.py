"""The review page: figures, charts and tables for anyone signed in; freezing for staff, with a
progress bar while the snapshot runs and the frozen figures beside the live ones afterwards."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from review.links import DOMAIN_LINKED, HEADLINES
from review.models import ReviewSnapshot
from tests.review.review_fixture import NOW, build_review_world

pytestmark = pytest.mark.django_db

URL = "/cycles/2027-q2/review/"


@pytest.fixture
def world(settings):
    settings.TRIAGE_SLA_WORKING_DAYS = 5
    return build_review_world()


def figure(html: str, key: str, column: str = "live") -> str:
    """The text of a headline figure's cell."""
    row = re.search(rf'<tr data-figure="{key}">(.*?)</tr>', html, re.S).group(1)
    cell = re.search(rf'<td class="num {column}">(.*?)</td>', row, re.S).group(1)
    return re.sub(r"<[^>]+>", "", cell).strip()


def test_the_page_shows_headline_figures_charts_and_tables(world, client, requester):
    client.force_login(requester)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert figure(html, "filed") == "15"
    assert figure(html, "early_pct") == "60.0%"
    assert figure(html, "median_lead_time_days") == "59.0 days"
    assert figure(html, "delivery_pct") == "40.0%"
    assert figure(html, "carried_over") == "5"
    assert html.count('<svg class="chart"') == 4
    for chart in ("chart-outcomes", "chart-early-late", "chart-lead-time", "chart-dependencies"):
        assert f'id="{chart}"' in html
    assert 'role="img"' in html
    assert "No source data yet" in html  # the declined request's reason
    assert "How the figures are counted" in html
    assert "css/review.css" in html


def test_numbers_link_to_the_filtered_request_list(world, client, requester):
    client.force_login(requester)
    html = client.get(URL).content.decode()
    assert (
        '<a href="/requests/?needed_by_cycle=2027-q2&amp;status=submitted&amp;status=triaged'
        in html
    )
    assert "needed_by_cycle=2027-q2&amp;status=declined&amp;target_domain=payments" in html
    assert "is_late=true" in html
    # The table behind the dependency chart is fetched on demand (it grows with the square of
    # the domains); each of its cells links to what one team asked of another.
    assert "target_domain=payments&amp;requesting_domain=search" not in html
    assert f'hx-get="{URL}dependencies/"' in html
    table = client.get(f"{URL}dependencies/").content.decode()
    assert "target_domain=payments&amp;requesting_domain=search" in table


def test_anonymous_visitors_are_sent_to_sign_in(world, client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_unknown_cycle_is_404(world, client, requester):
    client.force_login(requester)
    assert client.get("/cycles/1999-q1/review/").status_code == 404


def test_only_staff_see_the_freeze_button(world, client, requester, staff):
    client.force_login(requester)
    assert "Freeze the review" not in client.get(URL).content.decode()
    client.force_login(staff)
    assert "Freeze the review" in client.get(URL).content.decode()


@pytest.mark.parametrize("role", ["requester", "lead", "member", "other_lead"])
def test_only_staff_may_freeze_from_the_page(world, client, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.post(f"{URL}freeze/").status_code == 403
    assert not ReviewSnapshot.objects.exists()


def test_a_running_snapshot_shows_a_progress_bar_that_polls(world, client, staff):
    snapshot = ReviewSnapshot.objects.create(
        cycle=world.cycle, created_by=staff, status="running", progress=40
    )
    client.force_login(staff)
    html = client.get(URL).content.decode()
    assert '<progress id="snapshot-bar-' in html
    assert 'value="40"' in html
    assert 'hx-trigger="every 1s"' in html
    assert f'hx-get="/cycles/2027-q2/review/snapshots/{snapshot.pk}/progress/"' in html
    assert "Freeze the review" not in html  # one at a time


def test_the_progress_partial_stops_polling_and_goes_to_the_frozen_figures_when_done(
    world, client, staff
):
    snapshot = ReviewSnapshot.objects.create(cycle=world.cycle, created_by=staff, progress=100)
    client.force_login(staff)
    url = f"/cycles/2027-q2/review/snapshots/{snapshot.pk}/progress/"
    running = client.get(url, HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert "HX-Redirect" not in running
    ReviewSnapshot.objects.filter(pk=snapshot.pk).update(status="done")
    response = client.get(url, HTTP_HX_REQUEST="true")
    # Not a refresh of the live page it was polled from: straight to the frozen figures.
    assert response["HX-Redirect"] == f"{URL}?view=frozen"
    assert "HX-Refresh" not in response
    body = response.content.decode()
    assert "hx-trigger" not in body
    # Without htmx (or before it acts) the link goes to the frozen figures too.
    assert f'<a href="{URL}?view=frozen">Show the frozen figures</a>' in body


def test_a_freeze_still_computing_lands_on_the_progress_bar(world, client, staff):
    client.force_login(staff)
    response = client.post(f"{URL}freeze/")  # the task runs after commit, which has not happened
    assert response.status_code == 302
    assert response["Location"] == URL
    html = client.get(URL).content.decode()
    assert "Freezing the review: the figures are being computed." in html
    assert '<progress id="snapshot-bar-' in html


# Real commits, as in production (no ATOMIC_REQUESTS): the freeze commits, the eager task runs on
# that commit, and the snapshot is done before the view answers.
@pytest.mark.django_db(transaction=True)
def test_staff_freeze_then_see_frozen_figures_beside_the_live_ones(world, client, staff):
    client.force_login(staff)
    response = client.post(f"{URL}freeze/")
    assert response.status_code == 302
    snapshot = ReviewSnapshot.objects.get()
    assert snapshot.status == "done"
    # Done by the time the page answers (eager task): straight to the frozen figures.
    assert response["Location"] == f"{URL}?view=frozen"
    landed = client.get(response["Location"]).content.decode()
    assert "The review is frozen: these are the frozen figures." in landed
    assert "You are reading the frozen figures" in landed

    # A request filed afterwards moves the live figures, not the frozen ones.
    world.requests["P6"].status = "submitted"
    world.requests["P6"].submitted_at = world.requests["P5"].submitted_at
    world.requests["P6"].is_late = True
    world.requests["P6"].save()
    html = client.get(URL).content.decode()
    assert "Frozen on" in html
    assert (figure(html, "filed", "live"), figure(html, "filed", "frozen")) == ("16", "15")

    frozen = client.get(f"{URL}?view=frozen").content.decode()
    assert "You are reading the frozen figures" in frozen
    assert "Frozen charts" in frozen


def test_the_page_query_count_is_pinned(world, client, requester, django_assert_max_num_queries):
    client.force_login(requester)
    # 22 since the headline cards compare with the previous cycle (its cycle row and its review).
    with django_assert_max_num_queries(22):
        response = client.get(URL)
    assert response.status_code == 200


# --- the pages link both ways -------------------------------------------------------------------


def test_the_cycle_list_and_the_cycle_page_link_to_the_roadmap_review(world, client, requester):
    client.force_login(requester)
    listing = client.get("/cycles/").content.decode()
    for slug in ("2027-q1", "2027-q2", "2027-q3"):
        assert f'href="/cycles/{slug}/review/" aria-label="Roadmap review of ' in listing
    detail = client.get("/cycles/2027-q2/").content.decode()
    assert '<a class="btn" href="/cycles/2027-q2/review/">Roadmap review of 2027-Q2</a>' in detail
    # And back: the review names its cycle with a link to the cycle page.
    assert 'href="/cycles/2027-q2/"' in client.get(URL).content.decode()


def home_at(client, user, when: dt.datetime) -> str:
    with time_machine.travel(when, tick=False):
        client.force_login(user)
        return client.get("/").content.decode()


def test_home_links_to_the_review_in_the_two_weeks_before_its_date(world, client, requester):
    # 2027-Q2 is reviewed on 23 June 2027.
    soon = home_at(client, requester, dt.datetime(2027, 6, 18, 9, 0, tzinfo=dt.UTC))
    assert '<a href="/cycles/2027-q2/review/">Roadmap review of 2027-Q2</a>' in soon
    assert "on 23 Jun, in 5 days" in soon
    assert "?view=frozen" not in soon
    far = home_at(client, requester, dt.datetime(2027, 5, 1, 9, 0, tzinfo=dt.UTC))
    assert "Roadmap review of" not in far


def test_home_links_to_the_frozen_review_after_its_date(world, client, requester, staff):
    ReviewSnapshot.objects.create(
        cycle=world.cycle,
        created_by=staff,
        status="done",
        progress=100,
        data={},
        finished_at=dt.datetime(2027, 6, 23, 15, 0, tzinfo=dt.UTC),
    )
    after = home_at(client, requester, dt.datetime(2027, 6, 26, 9, 0, tzinfo=dt.UTC))
    assert "held 23 Jun, 3 days ago" in after
    assert '<a href="/cycles/2027-q2/review/?view=frozen">frozen figures</a>' in after
    gone = home_at(client, requester, dt.datetime(2027, 7, 15, 9, 0, tzinfo=dt.UTC))
    assert "Roadmap review of" not in gone


def test_the_page_and_the_json_show_the_same_figures(world, client, requester, api_as):
    """One selector feeds both doors: every headline and per-domain count agrees."""
    with time_machine.travel(NOW, tick=False):
        client.force_login(requester)
        html = client.get(URL).content.decode()
        body = api_as(requester).get("/api/v1/cycles/2027-q2/review/").json()
    for key, _label, unit, _metric in HEADLINES:
        value = body["overall"][key]
        assert figure(html, key) == ("—" if value is None else f"{value}{unit}"), key
    for domain in body["domains"]:
        row = re.search(rf'<tr data-domain="{domain["slug"]}">(.*?)</tr>', html, re.S).group(1)
        shown = dict(re.findall(r'<a data-metric="(\w+)" href="[^"]*">([^<]*)</a>', row))
        assert shown == {m: str(domain[m]) for m in DOMAIN_LINKED}, domain["slug"]
    assert figure(html, "overdue_triage") == "2"  # at NOW: P5 and L3


def test_headline_cards_show_the_change_against_the_previous_cycle(world, client, requester):
    from review.cards import headline_cards

    cards = {
        c["key"]: c
        for c in headline_cards(
            {"filed": 15, "early_pct": 60.0, "median_lead_time_days": 20.0},
            {"filed": 12, "early_pct": 75.0, "median_lead_time_days": 20.0},
            {},
        )
    }
    assert (cards["filed"]["change"], cards["filed"]["tone"]) == (3, "flat")
    assert (cards["early_pct"]["change"], cards["early_pct"]["tone"]) == (-15, "bad")
    assert cards["median_lead_time_days"]["change"] == 0
    client.force_login(requester)
    page = client.get(URL).content.decode()
    assert "change against 2027-Q1" in page
    assert (
        page.index('data-card="filed"')
        < page.index("chart-card")
        < page.index('table class="headlines"')
    )


def test_a_french_reader_gets_french_bucket_labels_and_decimal_commas(world, client, requester):
    client.force_login(requester)
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<th scope="col">0 à 30 jours</th>' in html
    assert "0–30 days" not in html
    assert figure(html, "early_pct") == "60,0%"
