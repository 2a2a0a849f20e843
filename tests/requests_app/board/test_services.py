"""Reordering, capacity, planning and bulk triage through the board services."""

import pytest

from core.errors import NotPermitted, StaleVersion
from requests_app import services
from requests_app.board import selectors
from requests_app.board import services as board_services
from requests_app.models import DataRequest, DomainCycleCapacity, RequestEvent
from tests import factories

S = DataRequest.Status
pytestmark = pytest.mark.django_db


def _ranks(domain, cycle):
    return [
        (i.request.pk, i.request.rank)
        for i in selectors.board_for(domain=domain, cycle=cycle).items
    ]


def test_reorder_ranks_densely_in_the_given_order_and_bumps_the_version(
    lead, target_domain, cycle, board_requests
):
    a, b, c, d = (r.pk for r in board_requests)
    version = selectors.board_for(domain=target_domain, cycle=cycle).version
    new = board_services.board_reorder(
        domain=target_domain, cycle=cycle, order=[d, c, b, a], version=version, actor=lead
    )
    assert new == version + 1
    assert _ranks(target_domain, cycle) == [(d, 1), (c, 2), (b, 3), (a, 4)]
    assert RequestEvent.objects.filter(kind="ranked").count() == 4


def test_reorder_moves_the_cut_line(lead, target_domain, cycle, board_requests):
    a, b, c, d = (r.pk for r in board_requests)
    board_services.board_reorder(
        domain=target_domain, cycle=cycle, order=[c, d, a, b], version=1, actor=lead
    )
    board = selectors.board_for(domain=target_domain, cycle=cycle)
    # efforts 3, 2, 4 fit in 10; 5 does not
    assert [i.above_capacity for i in board.items] == [False, False, False, True]


def test_stale_version_is_refused_and_changes_nothing(lead, target_domain, cycle, board_requests):
    before = _ranks(target_domain, cycle)
    with pytest.raises(StaleVersion):
        board_services.board_reorder(
            domain=target_domain,
            cycle=cycle,
            order=[r.pk for r in reversed(board_requests)],
            version=99,
            actor=lead,
        )
    assert _ranks(target_domain, cycle) == before


@pytest.mark.parametrize(
    ("order_of", "message"),
    [
        (lambda ids: ids[:3], "missing"),
        (lambda ids: [*ids, 999999], "not shown on this board"),
        (lambda ids: [*ids, ids[0]], "twice"),
    ],
)
def test_reorder_needs_every_request_exactly_once(
    lead, target_domain, cycle, board_requests, order_of, message
):
    from django.core.exceptions import ValidationError

    ids = [r.pk for r in board_requests]
    with pytest.raises(ValidationError) as exc:
        board_services.board_reorder(
            domain=target_domain, cycle=cycle, order=order_of(ids), version=1, actor=lead
        )
    assert message in str(exc.value)


@pytest.mark.parametrize("role", ["requester", "member", "other_lead"])
def test_only_leads_and_staff_reorder(request, role, target_domain, cycle, board_requests):
    with pytest.raises(NotPermitted):
        board_services.board_reorder(
            domain=target_domain,
            cycle=cycle,
            order=[r.pk for r in board_requests],
            version=1,
            actor=request.getfixturevalue(role),
        )


def test_staff_may_reorder(staff, target_domain, cycle, board_requests):
    board_services.board_reorder(
        domain=target_domain,
        cycle=cycle,
        order=[r.pk for r in reversed(board_requests)],
        version=1,
        actor=staff,
    )


def test_a_decision_on_a_board_makes_its_version_stale(lead, target_domain, cycle, board_requests):
    before = selectors.board_for(domain=target_domain, cycle=cycle).version
    services.request_defer(
        data_request=board_requests[0], actor=lead, reason="Later", planned_cycle=None
    )
    assert selectors.board_for(domain=target_domain, cycle=cycle).version > before


def test_accepting_puts_a_request_at_the_bottom_of_the_board_and_bumps_the_version(
    lead, target_domain, cycle, board_requests
):
    new = factories.DataRequestFactory(target_domain=target_domain, status=S.TRIAGED)
    before = selectors.board_for(domain=target_domain, cycle=cycle).version
    services.request_accept(data_request=new, actor=lead, planned_cycle=cycle, effort=1)
    board = selectors.board_for(domain=target_domain, cycle=cycle)
    assert board.items[-1].request.pk == new.pk
    assert board.items[-1].request.rank == 5
    assert board.version > before


def test_move_down_and_up_by_one(lead, target_domain, cycle, board_requests):
    a, b, c, d = (r.pk for r in board_requests)
    v = board_services.board_move(
        domain=target_domain, cycle=cycle, request_id=a, offset=1, version=1, actor=lead
    )
    assert [pk for pk, _ in _ranks(target_domain, cycle)] == [b, a, c, d]
    board_services.board_move(
        domain=target_domain, cycle=cycle, request_id=d, offset=-1, version=v, actor=lead
    )
    assert [pk for pk, _ in _ranks(target_domain, cycle)] == [b, a, d, c]


def test_capacity_is_set_by_leads_and_reset_with_none(lead, member, target_domain, cycle):
    board_services.capacity_set(domain=target_domain, cycle=cycle, capacity=7, actor=lead)
    assert selectors.board_for(domain=target_domain, cycle=cycle).capacity == 7
    board_services.capacity_set(domain=target_domain, cycle=cycle, capacity=None, actor=lead)
    board = selectors.board_for(domain=target_domain, cycle=cycle)
    assert (board.capacity, board.capacity_is_default) == (target_domain.default_capacity, True)
    with pytest.raises(NotPermitted):
        board_services.capacity_set(domain=target_domain, cycle=cycle, capacity=5, actor=member)


def test_planning_a_triaged_request_puts_it_on_the_board(lead, target_domain, cycle):
    request = factories.DataRequestFactory(target_domain=target_domain, status=S.TRIAGED)
    board_services.request_plan(data_request=request, actor=lead, planned_cycle=cycle)
    assert [i.request.pk for i in selectors.board_for(domain=target_domain, cycle=cycle).items] == [
        request.pk
    ]


def _snapshot(request):
    request.refresh_from_db()
    kinds = list(request.events.values_list("kind", "from_status", "to_status"))
    return (
        request.status,
        request.planned_cycle_id,
        request.effort,
        request.decision_reason,
        kinds,
    )


@pytest.mark.parametrize(
    ("action", "params"),
    [
        ("triage", {}),
        ("accept", {"effort": 3}),
        ("defer", {"reason": "Next quarter"}),
        ("decline", {"reason": "Out of scope"}),
    ],
)
def test_bulk_actions_do_exactly_what_the_single_actions_do(
    lead, target_domain, cycle, action, params
):
    if action in ("accept", "defer"):
        params = {**params, "planned_cycle": cycle}
    single = [
        factories.DataRequestFactory(target_domain=target_domain, status=S.SUBMITTED)
        for _ in range(2)
    ]
    bulk = [
        factories.DataRequestFactory(target_domain=target_domain, status=S.SUBMITTED)
        for _ in range(2)
    ]
    for request in single:
        services.request_transition(data_request=request, action=action, actor=lead, **params)
    results = board_services.bulk_transition(
        domain=target_domain, request_ids=[r.pk for r in bulk], action=action, actor=lead, **params
    )
    assert all(r.ok for r in results)
    assert [_snapshot(r) for r in bulk] == [_snapshot(r) for r in single]


def test_bulk_reports_each_failure_and_still_applies_the_rest(lead, target_domain, cycle):
    ok = factories.DataRequestFactory(target_domain=target_domain, status=S.SUBMITTED)
    closed = factories.DataRequestFactory(target_domain=target_domain, status=S.DECLINED)
    foreign = factories.DataRequestFactory(status=S.SUBMITTED)
    results = board_services.bulk_transition(
        domain=target_domain,
        request_ids=[ok.pk, closed.pk, foreign.pk],
        action="triage",
        actor=lead,
    )
    assert [r.ok for r in results] == [True, False, False]
    assert "declined" in results[1].message
    assert "not a request of" in results[2].message
    ok.refresh_from_db()
    foreign.refresh_from_db()
    assert (ok.status, foreign.status) == ("triaged", "submitted")


def test_bulk_without_a_reason_fails_per_request_with_the_services_message(lead, target_domain):
    request = factories.DataRequestFactory(target_domain=target_domain, status=S.SUBMITTED)
    [result] = board_services.bulk_transition(
        domain=target_domain, request_ids=[request.pk], action="decline", actor=lead, reason=""
    )
    assert not result.ok
    assert "reason" in result.message.lower()


def test_bulk_is_for_leads_only(member, target_domain):
    request = factories.DataRequestFactory(target_domain=target_domain, status=S.SUBMITTED)
    with pytest.raises(NotPermitted):
        board_services.bulk_transition(
            domain=target_domain, request_ids=[request.pk], action="triage", actor=member
        )


def test_capacity_row_is_created_once(lead, target_domain, cycle):
    board_services.capacity_set(domain=target_domain, cycle=cycle, capacity=3, actor=lead)
    board_services.capacity_set(domain=target_domain, cycle=cycle, capacity=4, actor=lead)
    assert DomainCycleCapacity.objects.filter(domain=target_domain, cycle=cycle).count() == 1


@pytest.mark.parametrize(
    ("action", "params"),
    [
        ("decline", {"reason": "Out of scope"}),
        ("withdraw", {}),
        ("mark_duplicate", None),
        ("defer", {"reason": "Next quarter"}),
    ],
)
def test_a_request_leaving_the_board_closes_the_gap_in_the_ranks(
    lead, staff, target_domain, cycle, later_cycle, board_requests, action, params
):
    a, b, c, d = board_requests
    # Back to triaged so every action here is allowed from its state.
    DataRequest.objects.filter(pk=b.pk).update(status=S.TRIAGED)
    if params is None:
        params = {"duplicate_of": a}
    if action == "defer":
        params = {**params, "planned_cycle": later_cycle}
    services.request_transition(data_request=b, action=action, actor=staff, **params)
    assert _ranks(target_domain, cycle) == [(a.pk, 1), (c.pk, 2), (d.pk, 3)]


def test_planning_a_request_onto_another_cycle_closes_the_gap(
    lead, target_domain, cycle, later_cycle, board_requests
):
    a, b, c, d = board_requests
    DataRequest.objects.filter(pk=a.pk).update(status=S.TRIAGED)
    board_services.request_plan(data_request=a, actor=lead, planned_cycle=later_cycle)
    assert _ranks(target_domain, cycle) == [(b.pk, 1), (c.pk, 2), (d.pk, 3)]


def test_accepting_a_ranked_candidate_keeps_its_place_on_the_board(
    lead, target_domain, cycle, board_requests
):
    a, b, c, d = board_requests
    DataRequest.objects.filter(pk=b.pk).update(status=S.TRIAGED)
    services.request_accept(data_request=b, actor=lead, planned_cycle=cycle, effort=5)
    assert _ranks(target_domain, cycle) == [(a.pk, 1), (b.pk, 2), (c.pk, 3), (d.pk, 4)]


def test_accepting_into_a_board_ranks_it_last(lead, target_domain, cycle, board_requests):
    new = factories.DataRequestFactory(target_domain=target_domain, status=S.SUBMITTED)
    services.request_accept(data_request=new, actor=lead, planned_cycle=cycle, effort=1)
    assert _ranks(target_domain, cycle)[-1] == (new.pk, 5)


def test_deferring_to_the_same_or_an_earlier_cycle_is_refused(
    lead, target_domain, cycle, later_cycle
):
    from django.core.exceptions import ValidationError

    request = factories.DataRequestFactory(
        target_domain=target_domain, status=S.ACCEPTED, planned_cycle=later_cycle, effort=2
    )
    for wrong in (later_cycle, cycle):
        with pytest.raises(ValidationError, match="not later"):
            services.request_defer(
                data_request=request, actor=lead, reason="later", planned_cycle=wrong
            )
    request.refresh_from_db()
    assert request.status == S.ACCEPTED


def test_deferring_to_a_cycle_already_started_is_refused(lead, target_domain):
    from django.core.exceptions import ValidationError

    from tests.requests_app.conftest import make_cycle

    running = make_cycle("2020-Q1", deadline_in_days=-60)  # started 30 days ago
    request = factories.DataRequestFactory(target_domain=target_domain, status=S.SUBMITTED)
    with pytest.raises(ValidationError, match="already started"):
        services.request_defer(
            data_request=request, actor=lead, reason="later", planned_cycle=running
        )
