"""Two leads reorder the same board at the same moment, on PostgreSQL with real transactions:
one wins, the other gets a 409 (StaleVersion), and ranks stay dense and unique."""

import threading

import pytest
from django.db import connection

from config.errors import StaleVersion
from requests_app.board import selectors
from requests_app.board import services as board_services
from requests_app.models import DomainCycleCapacity
from tests import factories
from tests.requests_app.board_fixtures import make_planned

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
