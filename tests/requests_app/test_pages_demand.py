"""Demand on the pages: "We need this too" on the request page and in the similar-needs
suggestion while filing (htmx), withdrawing, and demand on the board and the triage inbox."""

from __future__ import annotations

import pytest

from requests_app.models import DataRequest, Endorsement
from tests import factories

S = DataRequest.Status
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def second_pm(db):
    team = factories.DomainFactory(name="Pricing", slug="pricing")
    user = factories.UserFactory(username="pm2", first_name="Pia", last_name="Price")
    team.members.add(user)
    return user


def html(response) -> str:
    return response.content.decode()


def test_a_second_pm_endorses_from_the_request_page(client, make_request, second_pm):
    obj = make_request(S.SUBMITTED)
    client.force_login(second_pm)
    page = html(client.get(f"/requests/{obj.pk}/"))
    assert "We need this too" in page
    assert "Demand: 1 team needs this" in page
    response = client.post(
        f"/requests/{obj.pk}/endorse/",
        {f"endorse-{obj.pk}-business_need": "Pricing uses it", f"endorse-{obj.pk}-urgency": "high"},
        follow=True,
    )
    page = html(response)
    assert "its demand is now 2" in page
    assert "Demand: 2 teams need this" in page
    assert "Pricing uses it" in page
    assert "Withdraw my endorsement" in page
    assert "We need this too</summary>" not in page  # once is enough


def test_an_empty_need_is_shown_next_to_the_field(client, make_request, second_pm):
    obj = make_request(S.SUBMITTED)
    client.force_login(second_pm)
    response = client.post(f"/requests/{obj.pk}/endorse/", {f"endorse-{obj.pk}-business_need": ""})
    assert response.status_code == 400
    assert "This field is required" in html(response)
    assert not Endorsement.objects.exists()


def test_a_closed_request_refuses_with_the_reason(client, make_request, second_pm):
    obj = make_request(S.DELIVERED)
    client.force_login(second_pm)
    assert "We need this too</summary>" not in html(client.get(f"/requests/{obj.pk}/"))
    response = client.post(
        f"/requests/{obj.pk}/endorse/", {f"endorse-{obj.pk}-business_need": "x"}, **HX
    )
    assert response.status_code == 400
    assert "only open requests take endorsements" in html(response)


def test_the_requester_sees_no_endorse_button_on_their_own_request(client, make_request, requester):
    obj = make_request(S.SUBMITTED)
    client.force_login(requester)
    assert "We need this too</summary>" not in html(client.get(f"/requests/{obj.pk}/"))


def test_the_author_withdraws_from_the_page(client, make_request, second_pm):
    obj = make_request(S.SUBMITTED)
    client.force_login(second_pm)
    client.post(f"/requests/{obj.pk}/endorse/", {f"endorse-{obj.pk}-business_need": "Pricing"})
    eid = Endorsement.objects.get().pk
    page = html(client.post(f"/requests/{obj.pk}/endorsements/{eid}/withdraw/", follow=True))
    assert "Endorsement withdrawn" in page
    assert "Demand: 1 team needs this" in page


def test_someone_else_cannot_withdraw_an_endorsement(client, make_request, second_pm, lead):
    obj = make_request(S.SUBMITTED)
    client.force_login(second_pm)
    client.post(f"/requests/{obj.pk}/endorse/", {f"endorse-{obj.pk}-business_need": "Pricing"})
    eid = Endorsement.objects.get().pk
    client.force_login(lead)
    response = client.post(f"/requests/{obj.pk}/endorsements/{eid}/withdraw/")
    assert response.status_code == 403
    assert Endorsement.objects.exists()


def test_the_filing_suggestion_offers_we_need_this_too_and_endorses_in_place(
    client, make_request, second_pm
):
    obj = make_request(S.SUBMITTED, title="Seller churn by month")
    client.force_login(second_pm)
    suggestion = html(client.get("/requests/similar/?title=seller+churn", **HX))
    assert f'id="endorse-{obj.pk}"' in suggestion
    form = html(client.get(f"/requests/{obj.pk}/endorse/", **HX))
    assert "<form" in form
    assert "Why your team needs it" in form
    assert "<html" not in form  # a fragment: the filing form around it stays as typed
    done = html(
        client.post(
            f"/requests/{obj.pk}/endorse/", {f"endorse-{obj.pk}-business_need": "Churn model"}, **HX
        )
    )
    assert "You endorsed" in done
    assert "2 teams need it now" in done
    again = html(client.get("/requests/similar/?title=seller+churn", **HX))
    assert "You endorsed it." in again
    assert f'id="endorse-{obj.pk}"' not in again


def test_the_board_shows_demand_and_the_lead_sets_reach_from_it(
    client, lead, target_domain, cycle, make_request, second_pm
):
    obj = make_request(S.ACCEPTED, title="On the board")
    Endorsement.objects.create(
        request=obj,
        user=second_pm,
        requesting_domain=second_pm.member_domains.get(),
        business_need="x",
    )
    from requests_app.services import demand_recount

    demand_recount(obj)
    client.force_login(lead)
    page = html(client.get(f"/domains/{target_domain.slug}/board/?cycle={cycle.slug}"))
    assert 'data-demand="2"' in page
    assert "reach = demand" in page
    client.post(
        f"/domains/{target_domain.slug}/board/reach-demand/{obj.pk}/", {"cycle": cycle.slug}
    )
    obj.refresh_from_db()
    assert obj.reach == 2


def test_the_triage_inbox_shows_and_sorts_by_demand(
    client, lead, target_domain, make_request, second_pm
):
    older = make_request(S.SUBMITTED, title="Older, alone")
    newer = make_request(S.SUBMITTED, title="Newer, wanted")
    Endorsement.objects.create(
        request=newer,
        user=second_pm,
        requesting_domain=second_pm.member_domains.get(),
        business_need="x",
    )
    from requests_app.services import demand_recount

    demand_recount(newer)
    DataRequest.objects.filter(pk=older.pk).update(
        submitted_at=newer.submitted_at.replace(year=2020)
    )
    client.force_login(lead)
    by_age = html(client.get(f"/domains/{target_domain.slug}/triage/"))
    assert by_age.index("Older, alone") < by_age.index("Newer, wanted")
    assert 'data-demand="2"' in by_age
    by_demand = html(client.get(f"/domains/{target_domain.slug}/triage/?ordering=demand"))
    assert by_demand.index("Newer, wanted") < by_demand.index("Older, alone")
    api = client.get(f"/api/v1/domains/{target_domain.slug}/triage/?ordering=demand").json()
    assert [(r["title"], r["demand"]) for r in api["requests"]] == [
        ("Newer, wanted", 2),
        ("Older, alone", 1),
    ]
    assert client.get(f"/api/v1/domains/{target_domain.slug}/triage/?ordering=x").status_code == 400
