"""The board: ranked requests, capacity, effort used and the cut line; the triage inbox."""

import datetime as dt

import pytest
from django.utils import timezone

from requests_app import scoring
from requests_app.board import selectors
from requests_app.models import DataRequest, DomainCycleCapacity
from tests import factories
from tests.requests_app.board.board_fixtures import make_planned

S = DataRequest.Status


@pytest.mark.parametrize(
    ("efforts", "capacity", "above"),
    [
        ([4, 5, 3, 2], 10, [False, False, True, True]),
        ([4, 5, 1], 10, [False, False, False]),
        ([11, 1], 10, [True, True]),
        ([None, 10, 1], 10, [False, False, True]),
        ([], 10, []),
        ([1], 0, [True]),
    ],
)
def test_cut_line_marks_everything_from_the_first_request_that_does_not_fit(
    efforts, capacity, above
):
    assert scoring.cut_line(efforts, capacity) == above


def test_rice_score_follows_the_documented_formula():
    assert scoring.rice_score(reach=200, impact=2, confidence=80, effort=4) == 80.0
    assert scoring.rice_score(reach=200, impact=2, confidence=80, effort=None) is None


@pytest.mark.django_db
def test_board_shows_capacity_used_remaining_and_the_cut_line(target_domain, cycle, board_requests):
    board = selectors.board_for(domain=target_domain, cycle=cycle)
    assert (board.capacity, board.used, board.remaining, board.planned) == (10, 14, -4, 14)
    assert [i.request.pk for i in board.items] == [r.pk for r in board_requests]
    assert [i.above_capacity for i in board.items] == [False, False, True, True]
    assert board.cut_index == 2


@pytest.mark.django_db
def test_triaged_candidates_are_on_the_board_but_do_not_count_as_used(target_domain, cycle):
    make_planned(target_domain, cycle, 3, 1)
    make_planned(target_domain, cycle, 8, None, status=S.TRIAGED)
    board = selectors.board_for(domain=target_domain, cycle=cycle)
    assert board.used == 3
    assert board.planned == 11
    assert [i.request.status for i in board.items] == ["accepted", "triaged"]


@pytest.mark.django_db
def test_capacity_defaults_to_the_domains_and_a_cycle_may_override_it(target_domain, cycle):
    target_domain.default_capacity = 30
    target_domain.save()
    assert selectors.board_for(domain=target_domain, cycle=cycle).capacity == 30
    DomainCycleCapacity.objects.create(domain=target_domain, cycle=cycle, capacity=12)
    board = selectors.board_for(domain=target_domain, cycle=cycle)
    assert (board.capacity, board.capacity_is_default) == (12, False)


@pytest.mark.django_db
def test_requests_of_other_domains_cycles_or_closed_states_stay_off_the_board(
    target_domain, requesting_domain, cycle
):
    other_cycle = factories.CycleFactory()
    make_planned(requesting_domain, cycle, 1, 1)
    make_planned(target_domain, other_cycle, 1, 1)
    make_planned(target_domain, cycle, 1, None, status=S.DECLINED)
    make_planned(target_domain, cycle, 1, None, status=S.DEFERRED)
    assert selectors.board_for(domain=target_domain, cycle=cycle).items == []


@pytest.mark.django_db
def test_board_query_count_is_constant_in_its_size(
    target_domain, cycle, django_assert_max_num_queries
):
    for rank in range(1, 3):
        make_planned(target_domain, cycle, 2, rank)
    with django_assert_max_num_queries(3):  # capacity, totals, the shown rows
        small = selectors.board_for(domain=target_domain, cycle=cycle)
        [i.request.requester.username for i in small.items]
    for rank in range(3, 21):
        make_planned(target_domain, cycle, 2, rank)
    with django_assert_max_num_queries(3):
        big = selectors.board_for(domain=target_domain, cycle=cycle)
        [(i.request.requester.username, i.request.requesting_domain) for i in big.items]
    assert len(big.items) == 20


@pytest.mark.django_db
def test_triage_inbox_lists_submitted_requests_oldest_first_with_overdue_ones_flagged(
    target_domain, settings
):
    settings.TRIAGE_SLA_WORKING_DAYS = 5
    now = timezone.make_aware(dt.datetime(2026, 11, 25, 12))  # a Wednesday
    old = factories.DataRequestFactory(
        target_domain=target_domain,
        status=S.SUBMITTED,
        submitted_at=now - dt.timedelta(days=8),  # 6 working days ago
    )
    fresh = factories.DataRequestFactory(
        target_domain=target_domain, status=S.SUBMITTED, submitted_at=now - dt.timedelta(days=1)
    )
    factories.DataRequestFactory(target_domain=target_domain, status=S.TRIAGED)
    items = selectors.triage_inbox(domain=target_domain, now=now)
    assert [(i.request.pk, i.age_working_days, i.overdue) for i in items] == [
        (old.pk, 6, True),
        (fresh.pk, 1, False),
    ]


@pytest.fixture
def long_board(target_domain, cycle, monkeypatch):
    """Five ranked requests (efforts 4, 5, 3, 2, 1), capacity 10, of which a board shows 3."""
    from requests_app.board import services as board_services

    monkeypatch.setattr(selectors, "BOARD_LIMIT", 3)
    monkeypatch.setattr(board_services, "BOARD_LIMIT", 3)
    DomainCycleCapacity.objects.create(domain=target_domain, cycle=cycle, capacity=10)
    return [
        make_planned(target_domain, cycle, effort, rank)
        for rank, effort in enumerate([4, 5, 3, 2, 1], start=1)
    ]


@pytest.mark.django_db
def test_a_long_board_shows_its_head_with_totals_and_cut_line_over_all_of_it(
    target_domain, cycle, long_board
):
    board = selectors.board_for(domain=target_domain, cycle=cycle)
    assert [i.request.pk for i in board.items] == [r.pk for r in long_board[:3]]
    assert (board.count, board.truncated) == (5, True)
    assert (board.used, board.planned) == (15, 15)
    assert [i.above_capacity for i in board.items] == [False, False, True]


@pytest.mark.django_db
def test_reordering_a_long_board_ranks_what_it_shows_and_keeps_the_rest(
    target_domain, cycle, long_board, lead
):
    from django.core.exceptions import ValidationError

    from requests_app.board import services as board_services

    a, b, c, d, e = long_board
    board_services.board_reorder(
        domain=target_domain, cycle=cycle, order=[c.pk, a.pk, b.pk], version=1, actor=lead
    )
    ranks = dict(
        DataRequest.objects.filter(pk__in=[r.pk for r in long_board]).values_list("pk", "rank")
    )
    assert [ranks[r.pk] for r in (c, a, b, d, e)] == [1, 2, 3, 4, 5]
    with pytest.raises(ValidationError, match="not shown on this board"):
        board_services.board_reorder(
            domain=target_domain, cycle=cycle, order=[d.pk, a.pk, b.pk], version=2, actor=lead
        )
