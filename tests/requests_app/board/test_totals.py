"""The totals a board stores with its version (how many requests, the effort planned and used)
stay equal to a recount of its requests after every kind of change the services make, and the
data migration counts the boards that existed before them."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import DomainError
from requests_app import services
from requests_app.board import selectors
from requests_app.board import services as board_services
from requests_app.board.versions import BoardTotals, board_totals, board_totals_recount_all
from requests_app.models import DataRequest, DomainCycleCapacity
from tests import factories
from tests.requests_app.board.board_fixtures import make_planned

REQUESTS = 5
ACTIONS = (
    "submit", "triage", "plan", "accept", "score", "start", "deliver", "defer", "reopen",
    "decline", "mark_duplicate", "withdraw", "move", "capacity",
)  # fmt: skip
# (action, which request, which cycle: the board's, a later one, or none, an effort)
STEP = st.tuples(
    st.sampled_from(ACTIONS),
    st.integers(0, REQUESTS - 1),
    st.sampled_from([0, 1, None]),
    st.integers(1, 13),
)


@pytest.fixture
def world(staff, requester, target_domain, cycle, later_cycle):
    product = factories.DataProductFactory(domain=target_domain)
    return {
        "staff": staff,
        "requester": requester,
        "domain": target_domain,
        "cycles": [cycle, later_cycle],
        "product": product,
    }


def _apply(world, action: str, data_request: DataRequest, cycle, effort: int, others) -> None:
    staff, domain = world["staff"], world["domain"]
    if action in ("submit", "triage", "start", "reopen", "withdraw"):
        services.request_transition(data_request=data_request, action=action, actor=staff)
    elif action == "plan":
        board_services.request_plan(data_request=data_request, actor=staff, planned_cycle=cycle)
    elif action == "accept":
        services.request_accept(
            data_request=data_request, actor=staff, planned_cycle=cycle, effort=effort
        )
    elif action == "score":
        services.request_score(data_request=data_request, actor=staff, effort=effort)
    elif action == "deliver":
        services.request_deliver(
            data_request=data_request, actor=staff, delivered_product=world["product"]
        )
    elif action in ("defer", "decline"):
        later = {"planned_cycle": cycle} if action == "defer" else {}
        services.request_transition(
            data_request=data_request, action=action, actor=staff, reason="Not now.", **later
        )
    elif action == "mark_duplicate":
        original = next(r for r in others if r.pk != data_request.pk)
        services.request_mark_duplicate(
            data_request=data_request, actor=staff, duplicate_of=original
        )
    elif action == "move" and data_request.planned_cycle_id:
        board_cycle = data_request.planned_cycle
        version = selectors.board_for(domain=domain, cycle=board_cycle).version
        board_services.board_move(
            domain=domain,
            cycle=board_cycle,
            request_id=data_request.pk,
            offset=-1,
            version=version,
            actor=staff,
        )
    elif action == "capacity" and cycle is not None:
        board_services.capacity_set(domain=domain, cycle=cycle, capacity=effort, actor=staff)


def _check_boards(world) -> None:
    domain = world["domain"]
    for cycle in world["cycles"]:
        counted = board_totals(domain.pk, cycle.pk)
        board = selectors.board_for(domain=domain, cycle=cycle)
        assert (board.count, board.planned, board.used) == (
            counted.count,
            counted.planned,
            counted.used,
        )
        row = DomainCycleCapacity.objects.filter(domain=domain, cycle=cycle).values().first()
        if counted.count:  # a board the services put requests on stores its own totals
            assert BoardTotals.stored(row or {}) == counted
        elif row is not None and row["board_count"] is not None:
            assert BoardTotals.stored(row) == counted


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=1, max_size=25))
def test_stored_totals_equal_a_recount_after_any_sequence_of_changes(world, steps):
    with transaction.atomic():  # each example starts from the same world
        made = [
            services.request_create(
                actor=world["requester"],
                submit=i > 0,  # one draft, to submit
                title=f"Need {i}",
                business_need="Ships the feature.",
                target_domain=world["domain"],
                needed_by_cycle=world["cycles"][0],
            )
            for i in range(REQUESTS)
        ]
        for action, index, which, effort in steps:
            data_request = DataRequest.objects.get(pk=made[index].pk)
            cycle = None if which is None else world["cycles"][which]
            # Not allowed from this state, or bad input: then nothing may have changed.
            with contextlib.suppress(DomainError, ValidationError):
                _apply(world, action, data_request, cycle, effort, made)
            _check_boards(world)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_board_whose_totals_were_never_counted_counts_its_requests(target_domain, cycle):
    DomainCycleCapacity.objects.create(domain=target_domain, cycle=cycle, capacity=10)
    make_planned(target_domain, cycle, 4, 1)
    make_planned(target_domain, cycle, 6, None, status=DataRequest.Status.TRIAGED)
    board = selectors.board_for(domain=target_domain, cycle=cycle)
    assert (board.count, board.planned, board.used) == (2, 10, 4)


@pytest.mark.django_db
def test_recounting_every_board_stores_each_boards_totals_and_empties_the_others(
    target_domain, requesting_domain, cycle, later_cycle
):
    DomainCycleCapacity.objects.create(
        domain=target_domain,
        cycle=later_cycle,
        board_count=3,
        board_planned=9,
        board_used=9,
        board_promised=2,
    )
    make_planned(target_domain, cycle, 4, 1)
    make_planned(target_domain, cycle, 6, 2, status=DataRequest.Status.TRIAGED)
    make_planned(requesting_domain, cycle, 5, 1, status=DataRequest.Status.DELIVERED)
    make_planned(target_domain, later_cycle, 7, None, status=DataRequest.Status.DECLINED)
    assert board_totals_recount_all() == 2
    stored = {
        (row["domain_id"], row["cycle_id"]): BoardTotals.stored(row)
        for row in DomainCycleCapacity.objects.values()
    }
    assert stored == {
        (target_domain.pk, cycle.pk): BoardTotals(2, 10, 4, 1),
        (requesting_domain.pk, cycle.pk): BoardTotals(1, 5, 5, 0),
        (target_domain.pk, later_cycle.pk): BoardTotals(0, 0, 0, 0),
    }


def _old_boards(old, capacities: dict, requests: list[tuple]) -> dict:
    """Two domains, one quarter, the given capacity rows and requests, at an old schema; the
    domains by name."""
    User = old.get_model("auth", "User")
    Domain = old.get_model("products", "Domain")
    Cycle = old.get_model("requests_app", "RoadmapCycle")
    Request = old.get_model("requests_app", "DataRequest")
    Capacity = old.get_model("requests_app", "DomainCycleCapacity")
    pm = User.objects.create(username="pm")
    domains = {
        name: Domain.objects.create(name=name, slug=name.lower()) for name in ("Payments", "Search")
    }
    cycle = Cycle.objects.create(
        name="2031-Q1",
        slug="2031-q1",
        request_deadline=dt.date(2030, 12, 1),
        starts_on=dt.date(2031, 1, 1),
        ends_on=dt.date(2031, 3, 31),
    )
    for name, fields in capacities.items():
        Capacity.objects.create(domain=domains[name], cycle=cycle, **fields)
    for status, effort, name in requests:
        Request.objects.create(
            title="Data", requester=pm, target_domain=domains[name], needed_by_cycle=cycle,
            planned_cycle=cycle, status=status, effort=effort,
        )  # fmt: skip
    return domains


def test_the_migration_counts_the_boards_that_existed_before_it(migrator):
    old = migrator.migrate([("requests_app", "0013_perf_indexes")])
    domains = _old_boards(
        old,
        {"Payments": {"capacity": 10, "board_version": 4}},
        [
            ("accepted", 3, "Payments"),
            ("in_progress", 2, "Payments"),
            ("triaged", 5, "Payments"),
            ("declined", 8, "Payments"),
            ("delivered", 1, "Search"),
        ],
    )

    new = migrator.migrate([("requests_app", "0014_board_totals")])
    rows = {
        row.domain_id: (row.capacity, row.board_version, row.board_count, row.board_planned,
                        row.board_used)
        for row in new.get_model("requests_app", "DomainCycleCapacity").objects.all()
    }  # fmt: skip
    assert rows == {
        domains["Payments"].pk: (10, 4, 3, 10, 5),
        domains["Search"].pk: (None, 1, 1, 1, 1),
    }


def test_the_promised_count_migration_counts_each_counted_boards_promises(migrator):
    old = migrator.migrate([("requests_app", "0017_deferred_index")])
    domains = _old_boards(
        old,
        {"Payments": {"board_count": 3, "board_planned": 10}, "Search": {}},  # Search: uncounted
        [
            ("accepted", 1, "Payments"),
            ("in_progress", 1, "Payments"),
            ("triaged", 1, "Payments"),
            ("accepted", 1, "Search"),
        ],
    )

    new = migrator.migrate(None)
    stored = dict(
        new.get_model("requests_app", "DomainCycleCapacity").objects.values_list(
            "domain_id", "board_promised"
        )
    )
    assert stored == {domains["Payments"].pk: 2, domains["Search"].pk: None}
