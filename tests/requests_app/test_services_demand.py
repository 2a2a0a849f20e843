"""Demand services: duplicates carry their teams to the original, reach = demand, and demand
follows the requester's team when it is edited."""

from __future__ import annotations

import pytest

from core.errors import NotPermitted
from products import access
from requests_app import services
from requests_app.models import DataRequest, Endorsement
from tests import factories

S = DataRequest.Status


def _pm(slug: str, username: str):
    team = factories.DomainFactory(slug=slug, name=slug.title())
    user = factories.UserFactory(username=username)
    team.members.add(user)
    return team, user


def test_mark_duplicate_carries_the_requester_and_endorsers_over_as_endorsements(
    make_request, lead, target_domain
):
    original = make_request(S.SUBMITTED, title="Listing clicks")
    ads, ads_pm = _pm("ads", "ads-pm")
    crm, crm_pm = _pm("crm", "crm-pm")
    duplicate = make_request(
        S.SUBMITTED,
        title="Clicks per listing",
        requester=ads_pm,
        requesting_domain=ads,
        business_need="Ads need clicks to bill.",
        urgency="high",
    )
    services.endorsement_create(data_request=duplicate, actor=crm_pm, business_need="CRM scoring")
    services.request_mark_duplicate(data_request=duplicate, actor=lead, duplicate_of=original)
    original.refresh_from_db()
    assert (original.demand, original.endorsement_count) == (3, 2)
    carried = {e.user.username: e for e in original.endorsements.all()}
    assert carried["ads-pm"].business_need == "Ads need clicks to bill."
    assert carried["ads-pm"].urgency == "high"
    assert carried["ads-pm"].requesting_domain == ads
    assert carried["crm-pm"].business_need == "CRM scoring"
    assert all(e.carried_from_id == duplicate.pk for e in carried.values())
    assert set(original.watchers.values_list("username", flat=True)) >= {"ads-pm", "crm-pm"}


def test_mark_duplicate_does_not_count_anyone_twice(make_request, lead, requester):
    original = make_request(S.SUBMITTED)
    ads, ads_pm = _pm("ads", "ads-pm")
    services.endorsement_create(data_request=original, actor=ads_pm, business_need="Billing")
    # the same requester filed twice, and the endorser also filed a duplicate
    twice = make_request(S.SUBMITTED)
    services.request_mark_duplicate(data_request=twice, actor=lead, duplicate_of=original)
    again = make_request(S.SUBMITTED, requester=ads_pm, requesting_domain=ads)
    services.request_mark_duplicate(data_request=again, actor=lead, duplicate_of=original)
    original.refresh_from_db()
    assert (original.demand, original.endorsement_count) == (2, 1)


def test_the_duplicate_page_links_to_the_original(client, make_request, lead, requester):
    original = make_request(S.SUBMITTED, title="The original")
    duplicate = make_request(S.SUBMITTED)
    services.request_mark_duplicate(data_request=duplicate, actor=lead, duplicate_of=original)
    client.force_login(requester)
    page = client.get(f"/requests/{duplicate.pk}/").content.decode()
    assert f'href="/requests/{original.pk}/"' in page


def test_reach_from_demand_sets_reach_to_the_number_of_teams(make_request, lead):
    obj = make_request(S.TRIAGED, impact=2, confidence=50, effort=2)
    for slug in ("ads", "crm"):
        _, pm = _pm(slug, f"{slug}-pm")
        services.endorsement_create(data_request=obj, actor=pm, business_need="Same need")
    scored = services.request_reach_from_demand(data_request=obj, actor=lead)
    assert (scored.reach, scored.score) == (3, 1.5)  # 3 × 2 × 50% ÷ 2


@pytest.mark.parametrize("who", ["requester", "member", "other_lead"])
def test_only_leads_and_staff_set_reach_from_demand(make_request, request, who):
    obj = make_request(S.TRIAGED)
    with pytest.raises(NotPermitted):
        services.request_reach_from_demand(data_request=obj, actor=request.getfixturevalue(who))


def test_editing_the_requesters_team_recounts_demand(make_request, requester, requesting_domain):
    obj = make_request(S.SUBMITTED)
    ads, ads_pm = _pm("ads", "ads-pm")
    services.endorsement_create(data_request=obj, actor=ads_pm, business_need="Billing")
    assert DataRequest.objects.get(pk=obj.pk).demand == 2
    ads.members.add(requester)  # a request is filed for one of the requester's own teams
    access.forget(requester)
    services.request_update(data_request=obj, actor=requester, requesting_domain=ads)
    assert DataRequest.objects.get(pk=obj.pk).demand == 1
    assert Endorsement.objects.count() == 1
