"""Fixtures for request tests: cycles relative to today, requests built directly in any state,
and a small board (efforts 4, 5, 3, 2; capacity 10)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from requests_app.models import DataRequest, DomainCycleCapacity
from tests import factories
from tests.requests_app.board.board_fixtures import make_planned

S = DataRequest.Status


def make_cycle(name: str, *, deadline_in_days: int, **extra):
    """A quarter whose request deadline is ``deadline_in_days`` from today (negative: passed)."""
    deadline = timezone.localdate() + dt.timedelta(days=deadline_in_days)
    starts = deadline + dt.timedelta(days=30)
    return factories.CycleFactory(
        name=name,
        slug=name.lower(),
        request_deadline=deadline,
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=90),
        review_on=starts + dt.timedelta(days=80),
        **extra,
    )


@pytest.fixture
def cycle(db):
    """The next cycle, still open for early requests (deadline in 20 days)."""
    return make_cycle("2031-Q1", deadline_in_days=20)


@pytest.fixture
def later_cycle(db):
    return make_cycle("2031-Q2", deadline_in_days=110)


# What a request carries once it reached each state (only the fields that state implies).
STATE_FIELDS: dict[str, dict] = {
    S.DRAFT: {},
    S.SUBMITTED: {"submitted": True},
    S.TRIAGED: {"submitted": True, "triaged": True},
    S.ACCEPTED: {"submitted": True, "triaged": True, "planned": True},
    S.IN_PROGRESS: {"submitted": True, "triaged": True, "planned": True},
    S.DELIVERED: {"submitted": True, "triaged": True, "planned": True},
    S.DECLINED: {"submitted": True, "triaged": True},
    S.DEFERRED: {"submitted": True, "triaged": True},
    S.DUPLICATE: {"submitted": True, "triaged": True},
    S.WITHDRAWN: {"submitted": True},
}


@pytest.fixture
def make_request(db, requester, target_domain, requesting_domain, cycle):
    """``make_request(state, **fields)``: a request of ``requester`` to ``target_domain`` built
    directly in ``state`` (no services, so tests stay fast and start where they need)."""

    def make(state: str = S.DRAFT, **fields) -> DataRequest:
        implied = STATE_FIELDS[state]
        now = timezone.now()
        values = {
            "requester": requester,
            "requesting_domain": requesting_domain,
            "target_domain": target_domain,
            "needed_by_cycle": cycle,
            "status": state,
        }
        if implied.get("submitted"):
            values.update(submitted_at=now, is_late=False, lead_time_days=50)
        if implied.get("triaged"):
            values.update(triaged_at=now)
        if implied.get("planned"):
            values.update(planned_cycle=cycle, effort=3, rank=1, decided_at=now)
        values.update(fields)
        return factories.DataRequestFactory(**values)

    return make


@pytest.fixture
def board_requests(target_domain, cycle):
    DomainCycleCapacity.objects.create(domain=target_domain, cycle=cycle, capacity=10)
    return [
        make_planned(target_domain, cycle, effort, rank)
        for rank, effort in enumerate([4, 5, 3, 2], start=1)
    ]
