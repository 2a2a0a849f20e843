"""Freezing the review end to end with eager Celery: staff freeze, the task runs after commit,
the snapshot holds the figures with their time; the live review stays available beside it."""

from __future__ import annotations

import pytest

from core.errors import NotPermitted
from review import services
from review.models import ReviewSnapshot
from review.tasks import compute_review_snapshot
from tests import factories
from tests.review.review_fixture import build_review_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.TRIAGE_SLA_WORKING_DAYS = 5
    return build_review_world()


def test_staff_freeze_schedules_the_task_after_commit_and_it_stores_the_figures(
    world, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        snapshot = services.review_freeze(cycle=world.cycle, actor=staff)
        # Nothing runs before the transaction commits.
        assert ReviewSnapshot.objects.get(pk=snapshot.pk).status == "pending"
    # The task, then (from inside it) the "review ready" emails it queued.
    assert len(callbacks) == 2
    snapshot.refresh_from_db()
    assert (snapshot.status, snapshot.progress, snapshot.error) == ("done", 100, "")
    assert snapshot.finished_at is not None
    assert snapshot.created_by == staff
    assert snapshot.data["cycle"]["slug"] == "2027-q2"
    assert snapshot.data["overall"]["filed"] == 15
    assert snapshot.data["overall"]["delivery_pct"] == 40.0
    assert [d["slug"] for d in snapshot.data["domains"]] == ["search", "payments", "logistics"]


def test_a_frozen_review_tells_the_cycles_leads_and_requesters(
    world, staff, django_capture_on_commit_callbacks
):
    from notifications.models import Notification
    from requests_app.models import DataRequest

    with django_capture_on_commit_callbacks(execute=True):
        services.review_freeze(cycle=world.cycle, actor=staff)
    told = set(
        Notification.objects.filter(kind="review_ready", channel="in_app").values_list(
            "recipient__username", flat=True
        )
    )
    filed = DataRequest.objects.filter(needed_by_cycle=world.cycle, submitted_at__isnull=False)
    requesters = set(filed.values_list("requester__username", flat=True))
    leads = set(filed.values_list("target_domain__leads__username", flat=True)) - {None}
    assert told == requesters | leads
    assert told


@pytest.mark.parametrize("who", ["requester", "lead", "member", "other_lead"])
def test_only_staff_may_freeze_the_review(world, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(NotPermitted):
        services.review_freeze(cycle=world.cycle, actor=user)
    assert not ReviewSnapshot.objects.exists()


def test_freezing_again_while_one_is_running_answers_the_running_one(world, staff):
    first = services.review_freeze(cycle=world.cycle, actor=staff)
    second = services.review_freeze(cycle=world.cycle, actor=staff)
    assert first.pk == second.pk
    assert ReviewSnapshot.objects.count() == 1


def test_the_task_reports_progress_as_sections_complete(world, staff):
    snapshot = ReviewSnapshot.objects.create(cycle=world.cycle, created_by=staff)
    seen = []

    def progress(percent):
        seen.append(
            (percent, ReviewSnapshot.objects.values_list("status", flat=True).get(pk=snapshot.pk))
        )

    services.review_snapshot_compute(snapshot_id=snapshot.pk, progress=progress)
    assert [p for p, _ in seen] == sorted(p for p, _ in seen)
    assert seen[0] == (5, "running")
    assert seen[-1][0] == 100
    assert len(seen) >= 4


def test_computing_a_done_snapshot_again_changes_nothing(world, staff):
    snapshot = ReviewSnapshot.objects.create(cycle=world.cycle, created_by=staff)
    compute_review_snapshot.delay(snapshot.pk)
    snapshot.refresh_from_db()
    finished = snapshot.finished_at
    factories.DataRequestFactory(needed_by_cycle=world.cycle, status="draft")
    compute_review_snapshot.delay(snapshot.pk)
    snapshot.refresh_from_db()
    assert (snapshot.status, snapshot.finished_at) == ("done", finished)


def test_a_failure_ends_the_snapshot_failed_with_the_error_kept(world, staff, monkeypatch):
    from review import selectors

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(selectors, "review_compute", broken)
    snapshot = ReviewSnapshot.objects.create(cycle=world.cycle, created_by=staff)
    with pytest.raises(RuntimeError):
        compute_review_snapshot.delay(snapshot.pk)
    snapshot.refresh_from_db()
    assert snapshot.status == "failed"
    assert "the database went away" in snapshot.error
