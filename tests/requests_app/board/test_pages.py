"""The board and triage pages: what a lead and others see, and that the forms act."""

import pytest

from requests_app.models import DataRequest
from tests import factories

S = DataRequest.Status
pytestmark = pytest.mark.django_db


def test_lead_sees_capacity_the_cut_line_and_move_buttons(
    client, lead, target_domain, cycle, board_requests
):
    client.force_login(lead)
    response = client.get(f"/domains/{target_domain.slug}/board/?cycle={cycle.slug}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "14</strong> of <strong>10</strong>" in html
    assert 'id="cut-line"' in html
    assert f'aria-label="Move {board_requests[0].key} down"' in html


def test_others_see_the_board_without_controls(
    client, requester, target_domain, cycle, board_requests
):
    client.force_login(requester)
    html = client.get(f"/domains/{target_domain.slug}/board/?cycle={cycle.slug}").content.decode()
    assert 'id="cut-line"' in html
    assert "Move " not in html
    assert "Set capacity" not in html


def test_move_button_reorders_and_redirects_back_to_the_board(
    client, lead, target_domain, cycle, board_requests
):
    client.force_login(lead)
    first = board_requests[0]
    response = client.post(
        f"/domains/{target_domain.slug}/board/move/",
        {"cycle": cycle.slug, "request": first.pk, "direction": "down", "version": 1},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.rank == 2


def test_move_with_htmx_answers_the_board_partial(
    client, lead, target_domain, cycle, board_requests
):
    client.force_login(lead)
    response = client.post(
        f"/domains/{target_domain.slug}/board/move/",
        {"cycle": cycle.slug, "request": board_requests[0].pk, "direction": "down", "version": 1},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="board"')


def test_stale_move_shows_a_conflict_message(client, lead, target_domain, cycle, board_requests):
    client.force_login(lead)
    response = client.post(
        f"/domains/{target_domain.slug}/board/move/",
        {"cycle": cycle.slug, "request": board_requests[0].pk, "direction": "down", "version": 7},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    assert "changed since you loaded it" in response.content.decode()


def test_member_cannot_move(client, member, target_domain, cycle, board_requests):
    client.force_login(member)
    response = client.post(
        f"/domains/{target_domain.slug}/board/move/",
        {"cycle": cycle.slug, "request": board_requests[0].pk, "direction": "down", "version": 1},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403
    board_requests[0].refresh_from_db()
    assert board_requests[0].rank == 1


def test_score_form_saves_the_inputs_and_shows_the_score(
    client, lead, target_domain, cycle, board_requests
):
    client.force_login(lead)
    target = board_requests[0]
    client.post(
        f"/domains/{target_domain.slug}/board/score/{target.pk}/",
        {"cycle": cycle.slug, "reach": 100, "impact": "2", "confidence": 50, "effort": 4},
    )
    target.refresh_from_db()
    assert target.score == 25.0


def test_triage_page_highlights_overdue_and_bulk_triages(client, lead, target_domain):
    import datetime as dt

    from django.utils import timezone

    old = factories.DataRequestFactory(
        target_domain=target_domain,
        status=S.SUBMITTED,
        submitted_at=timezone.now() - dt.timedelta(days=30),
    )
    client.force_login(lead)
    html = client.get(f"/domains/{target_domain.slug}/triage/").content.decode()
    assert "overdue" in html
    response = client.post(
        f"/domains/{target_domain.slug}/triage/bulk/", {"ids": [old.pk], "action": "triage"}
    )
    assert response.status_code == 200
    assert f"{old.key} is now triaged" in response.content.decode()


def test_triage_page_lists_deferred_requests_with_their_reason(client, lead, target_domain, cycle):
    factories.DataRequestFactory(
        target_domain=target_domain, status=S.DEFERRED, planned_cycle=cycle, decision_reason="Q3"
    )
    client.force_login(lead)
    html = client.get(f"/domains/{target_domain.slug}/triage/").content.decode()
    assert "Deferred" in html
    assert "Q3" in html


def test_the_lead_edits_effort_inline_and_only_the_lead_gets_an_input(
    client, lead, member, target_domain, cycle, board_requests
):
    target = board_requests[0]
    client.force_login(lead)
    html = client.get(f"/domains/{target_domain.slug}/board/?cycle={cycle.slug}").content.decode()
    assert f'id="effort-{target.pk}" name="effort" form="score-{target.pk}"' in html
    client.post(
        f"/domains/{target_domain.slug}/board/score/{target.pk}/",
        {"cycle": cycle.slug, "reach": "", "impact": "", "confidence": "", "effort": 7},
    )
    target.refresh_from_db()
    assert target.effort == 7
    client.force_login(member)
    html = client.get(f"/domains/{target_domain.slug}/board/?cycle={cycle.slug}").content.decode()
    assert 'name="effort"' not in html


def test_bulk_with_an_absurd_id_on_the_page_answers_400_not_500(client, lead, target_domain):
    client.force_login(lead)
    response = client.post(
        f"/domains/{target_domain.slug}/triage/bulk/",
        {"ids": ["99999999999999999999"], "action": "triage"},
    )
    assert response.status_code == 400
    assert "Select at least one request" in response.content.decode()


def test_a_long_board_says_how_many_it_does_not_show(
    client, api_as, lead, target_domain, cycle, board_requests, monkeypatch
):
    from requests_app.board import selectors

    monkeypatch.setattr(selectors, "BOARD_LIMIT", 2)
    client.force_login(lead)
    html = client.get(f"/domains/{target_domain.slug}/board/?cycle={cycle.slug}").content.decode()
    assert "Showing the first 2 of 4 requests on this board" in html
    body = api_as(lead).get(f"/api/v1/domains/{target_domain.slug}/board/?cycle={cycle.slug}")
    assert (body.json()["count"], body.json()["truncated"], len(body.json()["requests"])) == (
        4,
        True,
        2,
    )
