"""Demand in the quarterly review: "most demanded" and "unmet demand" (declined or deferred,
needed by 2+ teams), each count linking to a list of exactly those requests."""

from __future__ import annotations

import html as html_lib
import re

import pytest
import time_machine

from requests_app.models import DataRequest, Endorsement
from requests_app.services import demand_recount
from tests import factories
from tests.review.review_fixture import NOW, build_review_world
from tests.review.test_links import listed

pytestmark = pytest.mark.django_db
S = DataRequest.Status
URL = "/cycles/2027-q2/review/"


def _endorse(data_request, *teams):
    for slug in teams:
        Endorsement.objects.create(
            request=data_request,
            user=factories.UserFactory(username=f"{slug}-{data_request.pk}"),
            requesting_domain=factories.DomainFactory(slug=slug, name=slug.title()),
            business_need="We need it too.",
        )
    demand_recount(data_request)


@pytest.fixture
def reader(settings, client, requester):
    settings.TRIAGE_SLA_WORKING_DAYS = 5
    with time_machine.travel(NOW, tick=False):
        world = build_review_world()
        in_q2 = DataRequest.objects.filter(needed_by_cycle=world.cycle, submitted_at__isnull=False)
        declined = in_q2.filter(status=S.DECLINED).first()
        accepted = in_q2.filter(status__in=(S.ACCEPTED, S.DELIVERED)).first()
        _endorse(declined, "ads", "crm")
        _endorse(accepted, "ads")
        client.force_login(requester)
        client.declined, client.accepted = declined, accepted
        yield client


def test_the_review_lists_the_most_demanded_requests_first(reader):
    page = reader.get(URL).content.decode()
    section = page[page.index('id="most-demanded"') :]
    assert "2 requests are needed by two teams or more" in section
    assert section.index(reader.declined.key) < section.index(reader.accepted.key)
    body = reader.get("/api/v1/cycles/2027-q2/review/").json()
    assert (body["overall"]["demanded"], body["overall"]["unmet_demand"]) == (2, 1)
    assert [r["demand"] for r in body["most_demanded"]] == [3, 2]


def test_each_demand_count_links_to_a_list_of_that_many_requests(reader):
    page = reader.get(URL).content.decode()
    headlines = dict(re.findall(r'<tr data-figure="([^"]*)">(.*?)</tr>', page, re.S))
    for key, expected in (("demanded", 2), ("unmet_demand", 1)):
        row = headlines[key]
        url = re.search(r'href="(/requests/\?[^"]*)"', row).group(1)
        assert listed(reader, url) == expected, (key, url)
    unmet = re.search(r'<a href="([^"]*)" id="unmet-demand">1</a>', page).group(1)
    listing = reader.get(html_lib.unescape(unmet)).content.decode()
    assert reader.declined.key in listing
    assert reader.accepted.key not in listing
