"""Closed cycles (DESIGN: a cycle is closed once its ends_on has passed): nothing is filed,
submitted, accepted or deferred into one; the 400 names the cycle, its end and the next open cycle;
staff may still correct; forms do not offer closed cycles."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from requests_app import services
from requests_app.forms import ActionForm, RequestForm
from requests_app.models import DataRequest
from tests import factories

S = DataRequest.Status


@pytest.fixture
def ended(db):
    """A quarter that ended yesterday."""
    today = timezone.localdate()
    return factories.CycleFactory(
        name="2026-Q3",
        slug="2026-q3",
        request_deadline=today - dt.timedelta(days=120),
        starts_on=today - dt.timedelta(days=91),
        ends_on=today - dt.timedelta(days=1),
    )


def test_a_pm_cannot_file_for_an_ended_cycle_and_hears_the_next_open_one(
    requester, target_domain, ended, cycle
):
    with pytest.raises(ValidationError) as refused:
        services.request_create(
            actor=requester,
            title="Refunds",
            business_need="Forecasts.",
            target_domain=target_domain,
            needed_by_cycle=ended,
        )
    message = refused.value.message_dict["needed_by_cycle"][0]
    assert "2026-Q3 is closed" in message
    assert ended.ends_on.strftime("%Y") in message
    assert "The next open cycle is 2031-Q1" in message


def test_a_draft_for_a_cycle_that_has_since_ended_cannot_be_submitted(requester, ended):
    draft = factories.DataRequestFactory(requester=requester, needed_by_cycle=ended)
    with pytest.raises(ValidationError, match="closed"):
        services.request_submit(data_request=draft, actor=requester)


def test_a_lead_cannot_accept_or_defer_into_an_ended_cycle(lead, target_domain, ended, cycle):
    data_request = factories.DataRequestFactory(
        target_domain=target_domain, needed_by_cycle=cycle, status=S.SUBMITTED
    )
    with pytest.raises(ValidationError, match="2026-Q3 is closed"):
        services.request_accept(
            data_request=data_request, actor=lead, planned_cycle=ended, effort=3
        )
    with pytest.raises(ValidationError, match="2026-Q3 is closed"):
        services.request_defer(
            data_request=data_request, actor=lead, reason="Later.", planned_cycle=ended
        )


def test_staff_may_still_correct_a_closed_cycle(staff, target_domain, ended):
    data_request = factories.DataRequestFactory(
        target_domain=target_domain, needed_by_cycle=ended, status=S.SUBMITTED
    )
    accepted = services.request_accept(
        data_request=data_request, actor=staff, planned_cycle=ended, effort=3
    )
    assert accepted.planned_cycle == ended


def test_the_api_answers_400_naming_the_closed_cycle(api_as, lead, target_domain, ended, cycle):
    data_request = factories.DataRequestFactory(
        target_domain=target_domain, needed_by_cycle=cycle, status=S.SUBMITTED
    )
    response = api_as(lead).post(
        f"/api/v1/requests/{data_request.pk}/accept/",
        {"planned_cycle": ended.slug, "effort": 2},
        format="json",
    )
    assert response.status_code == 400
    assert "2026-Q3 is closed" in str(response.json())


def test_forms_offer_only_open_cycles(requester, lead, target_domain, ended, cycle):
    filing = RequestForm(user=requester)
    assert list(filing.fields["needed_by_cycle"].queryset) == [cycle]
    data_request = factories.DataRequestFactory(target_domain=target_domain, status=S.SUBMITTED)
    accept = ActionForm(action="accept", data_request=data_request, user=lead)
    assert ended not in accept.fields["planned_cycle"].queryset


def test_a_lead_cannot_plan_a_triaged_request_onto_an_ended_cycle(lead, target_domain, ended):
    from requests_app.board.services import request_plan

    data_request = factories.DataRequestFactory(target_domain=target_domain, status=S.TRIAGED)
    with pytest.raises(ValidationError, match="2026-Q3 is closed"):
        request_plan(data_request=data_request, actor=lead, planned_cycle=ended)
