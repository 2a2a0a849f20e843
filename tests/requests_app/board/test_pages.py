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
    assert f'id="effort-{target.pk}" name="effort-{target.pk}" form="board-score"' in html
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


def test_the_board_has_one_form_per_action_and_its_rows_name_them(
    client, lead, target_domain, cycle, board_requests
):
    client.force_login(lead)
    html = client.get(f"/domains/{target_domain.slug}/board/?cycle={cycle.slug}").content.decode()
    for form in ("board-move", "board-reach", "board-score"):
        assert html.count(f'<form id="{form}"') == 1
    first = board_requests[0]
    assert f'form="board-move" name="down" value="{first.pk}" id="down-{first.pk}"' in html
    assert f'form="board-score" name="request" value="{first.pk}" id="score-{first.pk}"' in html
    assert 'name="reach-' not in html  # reach, impact and confidence come when asked


def test_the_board_forms_act_on_the_row_of_the_button_and_keep_the_others(
    client, lead, target_domain, cycle, board_requests
):
    """What a browser sends from the board's forms, with or without htmx: every row's effort,
    the clicked button's row; only that row changes, its unshown inputs kept."""
    client.force_login(lead)
    first, second = board_requests[:2]
    first.reach, first.impact, first.confidence = 10, "2", 50
    first.save()
    board = f"/domains/{target_domain.slug}/board/"
    efforts = {f"effort-{r.pk}": 9 for r in board_requests}
    response = client.post(
        f"{board}score/", {"cycle": cycle.slug, **efforts, "request": first.pk, "effort-99": "x"}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.effort, first.reach, first.confidence, second.effort) == (9, 10, 50, 5)
    assert first.score == pytest.approx(10 * 2 * 0.5 / 9, abs=0.001)

    response = client.post(
        f"{board}move/",
        {"cycle": cycle.slug, "version": 2, "down": first.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    first.refresh_from_db()
    assert first.rank == 2

    client.post(f"{board}reach-demand/", {"cycle": cycle.slug, "request": second.pk})
    second.refresh_from_db()
    assert second.reach == second.demand


def test_the_board_forms_refuse_a_member_and_a_missing_row(
    client, member, lead, target_domain, cycle, board_requests
):
    board = f"/domains/{target_domain.slug}/board/"
    client.force_login(member)
    first = board_requests[0]
    for path in ("score/", "reach-demand/"):
        response = client.post(
            f"{board}{path}", {"cycle": cycle.slug, "request": first.pk, f"effort-{first.pk}": 1}
        )
        assert response.status_code == 403
    client.force_login(lead)
    for request_id in ("", "abc", "99999999999999999999", "123456"):
        response = client.post(f"{board}score/", {"cycle": cycle.slug, "request": request_id})
        assert response.status_code == 404
    first.refresh_from_db()
    assert first.effort == 4


def test_a_rows_score_inputs_come_on_demand_and_have_a_page_without_script(
    client, lead, member, target_domain, cycle, board_requests
):
    target = board_requests[0]
    url = f"/domains/{target_domain.slug}/board/score/{target.pk}/?cycle={cycle.slug}"
    client.force_login(lead)
    part = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert f'form="board-score" name="reach-{target.pk}"' in part
    assert "<form" not in part
    page = client.get(url).content.decode()
    assert (
        f'<form method="post" action="/domains/{target_domain.slug}/board/score/{target.pk}/"'
        in page
    )
    response = client.post(
        f"/domains/{target_domain.slug}/board/score/{target.pk}/",
        {"cycle": cycle.slug, "reach": 8, "impact": "1", "confidence": 100, "effort": 4},
    )
    assert response.url == f"/domains/{target_domain.slug}/board/?cycle={cycle.slug}"
    target.refresh_from_db()
    assert target.score == 2.0
    client.force_login(member)
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 403
