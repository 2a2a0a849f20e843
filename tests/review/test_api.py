"""The review API: JSON and CSV for anyone signed in, freezing for staff only, snapshots by id."""

from __future__ import annotations

import csv
import io

import pytest

from review.models import ReviewSnapshot
from tests.review.review_fixture import build_review_world

pytestmark = pytest.mark.django_db

ROLES = ["requester", "lead", "member", "other_lead", "staff"]


@pytest.fixture
def world(settings):
    settings.TRIAGE_SLA_WORKING_DAYS = 5
    return build_review_world()


@pytest.mark.parametrize("role", ROLES)
def test_anyone_signed_in_reads_the_review(world, role, request, api_as):
    response = api_as(request.getfixturevalue(role)).get("/api/v1/cycles/2027-q2/review/")
    assert response.status_code == 200
    body = response.json()
    assert body["cycle"]["slug"] == "2027-q2"
    assert body["overall"]["filed"] == 15
    assert body["overall"]["early_pct"] == 60.0
    assert {d["slug"] for d in body["domains"]} == {"payments", "search", "logistics"}
    assert body["latest_snapshot"] is None


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cycles/2027-q2/review/",
        "/api/v1/cycles/2027-q2/review.csv",
        "/api/v1/cycles/2027-q2/review/snapshots/1/",
    ],
)
def test_anonymous_callers_cannot_read_the_review(world, path, api):
    response = api.get(path)
    assert response.status_code in (401, 403)
    assert "detail" in response.json()


def test_an_unknown_cycle_answers_404_in_json(world, api_as, requester):
    client = api_as(requester)
    for response in (
        client.get("/api/v1/cycles/1999-q1/review/"),
        # A spreadsheet asking for CSV still gets an error it can read.
        client.get("/api/v1/cycles/1999-q1/review.csv", HTTP_ACCEPT="text/csv"),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_the_csv_parses_with_one_row_per_metric_and_scope(world, api_as, requester):
    response = api_as(requester).get("/api/v1/cycles/2027-q2/review.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="review-2027-q2.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    # Each metric once per scope and subject (a domain, a domain pair, a request).
    subjects = {
        (r["scope"], r["domain"], r["requesting_domain"], r["request"], r["metric"]) for r in rows
    }
    assert len(subjects) == len(rows)
    value = {
        (r["scope"], r["domain"], r["metric"]): r["value"]
        for r in rows
        if r["scope"] in ("overall", "domain", "requesting_team")
    }
    assert value[("overall", "", "filed")] == "15"
    assert value[("overall", "", "early_pct")] == "60.0"
    assert value[("overall", "", "delivery_pct")] == "40.0"
    assert value[("overall", "", "outcome_deferred")] == "2"
    assert value[("overall", "", "lead_time_31_60")] == "6"
    assert value[("domain", "payments", "utilization_pct")] == "116.7"
    assert value[("domain", "logistics", "capacity")] == ""  # nothing planned: no capacity counted
    assert value[("domain", "search", "median_lead_time_days")] == "38.0"
    assert value[("requesting_team", "payments", "early_pct")] == "80.0"
    assert {r["cycle"] for r in rows} == {"2027-q2"}


def csv_rows(client, scope: str) -> list[dict[str, str]]:
    body = client.get("/api/v1/cycles/2027-q2/review.csv").content.decode()
    return [r for r in csv.DictReader(io.StringIO(body)) if r["scope"] == scope]


def test_the_csv_has_the_dependency_matrix_with_every_cell(world, api_as, requester):
    cells = {
        (r["requesting_domain"], r["domain"]): int(r["value"])
        for r in csv_rows(api_as(requester), "dependency")
    }
    # Requesting → producing, counted by hand from the fixture's table ("" = no team given).
    assert cells == {
        ("search", "payments"): 3,  # P1 P3 P5
        ("logistics", "payments"): 2,  # P2 P4
        ("payments", "search"): 4,  # S1 S2 S4 S6
        ("logistics", "search"): 2,  # S3 S5
        ("payments", "logistics"): 1,  # L1
        ("search", "logistics"): 2,  # L2 L3
        ("", "logistics"): 1,  # L4
        ("", "payments"): 0,
        ("", "search"): 0,
        ("logistics", "logistics"): 0,
        ("payments", "payments"): 0,
        ("search", "search"): 0,
    }
    rows = csv_rows(api_as(requester), "dependency")
    assert {r["metric"] for r in rows} == {"requests"}
    assert {r["requesting_domain_name"] for r in rows if not r["requesting_domain"]} == {
        "No domain given"
    }


def test_the_csv_has_the_most_asked_domains_and_share_by_default_coverage(world, api_as, requester):
    client = api_as(requester)
    most = csv_rows(client, "most_asked")
    assert [(r["domain"], r["metric"], r["value"]) for r in most] == [
        ("search", "rank", "1"),
        ("search", "filed", "6"),
        ("payments", "rank", "2"),
        ("payments", "filed", "5"),
        ("logistics", "rank", "3"),
        ("logistics", "filed", "4"),
    ]
    coverage = {r["metric"]: r["value"] for r in csv_rows(client, "coverage")}
    assert coverage == {
        "domains_total": "3",
        "domains_publishing": "2",  # logistics only has a deprecated product
        "domains_publishing_pct": "66.7",
        "products_shared": "1",
        "products_incubating": "1",
        "products_product": "1",
        "products_deprecated": "1",
    }


def test_the_csv_lists_what_did_not_make_it_with_the_reasons(world, api_as, requester):
    key = {r.key: k for k, r in world.requests.items()}
    rows = csv_rows(api_as(requester), "not_made_it")
    listed = {
        key[r["request"]]: (r["status"], r["is_late"], r["reason"], r["moved_to_cycle"], r["value"])
        for r in rows
    }
    assert listed == {
        "L4": ("declined", "false", "Covered by the shipments product", "", "59"),
        "L2": ("submitted", "true", "", "", "-11"),
        "P3": ("accepted", "true", "", "", "44"),
        "P4": ("declined", "false", "No source data yet", "", "59"),
        "P5": ("submitted", "true", "", "", "-1"),
        "S2": ("deferred", "false", "Waiting on the schema migration", "2027-q3", "60"),
        "S3": ("deferred", "true", "Not this year", "", "30"),
        "S5": ("duplicate", "true", "", "", "31"),
        "S6": ("triaged", "true", "", "", "-11"),
    }
    assert len(rows) == 9
    l4 = next(r for r in rows if key[r["request"]] == "L4")
    assert (l4["domain"], l4["requesting_domain"], l4["metric"]) == (
        "logistics",
        "",
        "lead_time_days",
    )
    assert l4["title"] == "L4 request"


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(world, api_as, requester):
    world.search.name = "=HYPERLINK(evil)"
    world.search.save()
    world.requests["P4"].decision_reason = "@SUM(1+1)"
    world.requests["P4"].save()
    rows = list(
        csv.DictReader(
            io.StringIO(api_as(requester).get("/api/v1/cycles/2027-q2/review.csv").content.decode())
        )
    )
    names = {r["domain_name"] for r in rows if r["domain"] == "search"}
    assert names == {"'=HYPERLINK(evil)"}
    assert "'@SUM(1+1)" in {r["reason"] for r in rows if r["scope"] == "not_made_it"}


@pytest.mark.parametrize("role", ["requester", "lead", "member", "other_lead"])
def test_only_staff_may_freeze_over_the_api(world, role, request, api_as):
    response = api_as(request.getfixturevalue(role)).post("/api/v1/cycles/2027-q2/review/freeze/")
    assert response.status_code == 403
    assert "staff" in response.json()["detail"]
    assert not ReviewSnapshot.objects.exists()


def test_anonymous_callers_cannot_freeze(world, api):
    assert api.post("/api/v1/cycles/2027-q2/review/freeze/").status_code in (401, 403)
    assert not ReviewSnapshot.objects.exists()


def test_staff_freeze_answers_202_and_the_snapshot_is_readable(
    world, staff, requester, api_as, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(staff).post("/api/v1/cycles/2027-q2/review/freeze/")
    assert response.status_code == 202
    snapshot_id = response.json()["id"]
    url = response.json()["url"]
    assert url == f"/api/v1/cycles/2027-q2/review/snapshots/{snapshot_id}/"

    body = api_as(requester).get(url).json()
    assert (body["status"], body["progress"]) == ("done", 100)
    assert body["data"]["overall"]["filed"] == 15
    assert body["finished_at"]

    live = api_as(requester).get("/api/v1/cycles/2027-q2/review/").json()
    assert live["latest_snapshot"]["id"] == snapshot_id


def test_a_snapshot_of_another_cycle_or_unknown_id_is_404(world, staff, api_as):
    snapshot = ReviewSnapshot.objects.create(cycle=world.q3, created_by=staff)
    client = api_as(staff)
    assert client.get(f"/api/v1/cycles/2027-q2/review/snapshots/{snapshot.pk}/").status_code == 404
    assert client.get("/api/v1/cycles/2027-q2/review/snapshots/999999/").status_code == 404
    assert client.get(f"/api/v1/cycles/2027-q3/review/snapshots/{snapshot.pk}/").status_code == 200


def test_freezing_an_unknown_cycle_is_404(world, staff, api_as):
    assert api_as(staff).post("/api/v1/cycles/1999-q1/review/freeze/").status_code == 404
