"""Concurrent writers on one board, on PostgreSQL with real transactions: two reorders (one wins,
the other gets a 409), accepts racing each other (distinct ranks), and a reorder racing a score or
a deferral (no deadlock: the board lock orders them). Ranks stay dense and unique."""

import threading

import pytest
from django.db import connection

from core.errors import StaleVersion
from requests_app import services
from requests_app.board import selectors
from requests_app.board import services as board_services
from requests_app.models import DataRequest, DomainCycleCapacity
from tests import factories
from tests.requests_app.board.board_fixtures import make_planned

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_concurrent_reorders_one_wins_one_is_stale_ranks_stay_dense():
    domain = factories.DomainFactory(slug="concurrency")
    lead_a, lead_b = (
        factories.UserFactory(username="lead-a"),
        factories.UserFactory(username="lead-b"),
    )
    domain.leads.add(lead_a, lead_b)
    cycle = factories.CycleFactory()
    DomainCycleCapacity.objects.create(domain=domain, cycle=cycle, capacity=10)
    ids = [make_planned(domain, cycle, 1, rank).pk for rank in range(1, 9)]
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def reorder(name, actor, order):
        try:
            barrier.wait(timeout=10)
            outcomes[name] = board_services.board_reorder(
                domain=domain, cycle=cycle, order=order, version=1, actor=actor
            )
        except StaleVersion as exc:
            outcomes[name] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=reorder, args=("a", lead_a, list(reversed(ids)))),
        threading.Thread(target=reorder, args=("b", lead_b, ids[1:] + ids[:1])),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    wins = [v for v in outcomes.values() if isinstance(v, int)]
    stale = [v for v in outcomes.values() if isinstance(v, StaleVersion)]
    assert (len(wins), len(stale)) == (1, 1), outcomes
    board = selectors.board_for(domain=domain, cycle=cycle)
    assert [i.request.rank for i in board.items] == list(range(1, 9))
    assert board.version == 2
    winner_order = list(reversed(ids)) if isinstance(outcomes["a"], int) else ids[1:] + ids[:1]
    assert [i.request.pk for i in board.items] == winner_order


def _race(*jobs):
    """Run each job in its own thread and connection, released together; collect outcomes."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[object] = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = job()
        except Exception as exc:  # the assertions below say which outcomes are acceptable
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


def _board(n=3):
    domain = factories.DomainFactory(slug="race")
    lead = factories.UserFactory(username="race-lead")
    domain.leads.add(lead)
    cycle = factories.CycleFactory()
    DomainCycleCapacity.objects.create(domain=domain, cycle=cycle, capacity=50)
    ids = [make_planned(domain, cycle, 1, rank).pk for rank in range(1, n + 1)]
    return domain, lead, cycle, ids


def test_concurrent_accepts_onto_one_board_get_distinct_dense_ranks():
    domain, lead, cycle, ids = _board()
    newcomers = [
        factories.DataRequestFactory(target_domain=domain, status=DataRequest.Status.SUBMITTED)
        for _ in range(4)
    ]
    outcomes = _race(
        *[
            (
                lambda r=r: services.request_accept(
                    data_request=r, actor=lead, planned_cycle=cycle, effort=1
                )
            )
            for r in newcomers
        ]
    )
    assert all(isinstance(o, DataRequest) for o in outcomes), outcomes
    board = selectors.board_for(domain=domain, cycle=cycle)
    assert [i.request.rank for i in board.items] == list(range(1, 8))


def test_a_reorder_racing_a_decision_on_the_same_board_never_deadlocks():
    domain, lead, cycle, ids = _board(6)
    victim = DataRequest.objects.get(pk=ids[2])
    for _ in range(5):
        version = selectors.board_for(domain=domain, cycle=cycle).version
        order = [i.request.pk for i in selectors.board_for(domain=domain, cycle=cycle).items]
        outcomes = _race(
            lambda order=order, version=version: board_services.board_reorder(
                domain=domain, cycle=cycle, order=list(reversed(order)), version=version, actor=lead
            ),
            lambda: services.request_score(data_request=victim, actor=lead, reach=10, impact=1),
        )
        # The reorder wins or finds the board changed (409); the score always lands.
        assert isinstance(outcomes[0], int | StaleVersion), outcomes
        assert isinstance(outcomes[1], DataRequest), outcomes
    board = selectors.board_for(domain=domain, cycle=cycle)
    assert sorted(i.request.rank for i in board.items) == list(range(1, 7))
    leaving = DataRequest.objects.get(pk=board.items[0].request.pk)
    version = board.version
    order = [i.request.pk for i in board.items]
    outcomes = _race(
        lambda: board_services.board_reorder(
            domain=domain, cycle=cycle, order=order[::-1], version=version, actor=lead
        ),
        lambda: services.request_defer(data_request=leaving, actor=lead, reason="Not now"),
    )
    assert isinstance(outcomes[0], int | StaleVersion), outcomes
    assert isinstance(outcomes[1], DataRequest), outcomes
    board = selectors.board_for(domain=domain, cycle=cycle)
    assert [i.request.rank for i in board.items] == list(range(1, 6))
