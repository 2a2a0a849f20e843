"""The request lifecycle: every (state, action, role) through the API, validation rules, the audit
trail, early/late at the deadline's edges, and optimistic concurrency.

The expectations below are written from DESIGN.md, not read from `requests_app.lifecycle`, so the
state machine is checked against the design rather than against itself.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from products.models import DataProduct
from requests_app import services
from requests_app.models import DataRequest
from tests import factories

S = DataRequest.Status
OPEN = {"draft", "submitted", "triaged", "accepted", "in_progress", "deferred"}
UNDECIDED = {"submitted", "triaged"}
# action: (states it starts from, state it ends in, roles that may take it) — from DESIGN.md.
DESIGN = {
    "submit": ({"draft"}, "submitted", {"requester", "staff"}),
    "triage": ({"submitted"}, "triaged", {"lead", "staff"}),
    "accept": (UNDECIDED, "accepted", {"lead", "staff"}),
    "decline": (UNDECIDED, "declined", {"lead", "staff"}),
    "defer": (UNDECIDED | {"accepted"}, "deferred", {"lead", "staff"}),
    "mark_duplicate": (UNDECIDED, "duplicate", {"lead", "staff"}),
    "start": ({"accepted"}, "in_progress", {"lead", "member", "staff"}),
    "deliver": ({"in_progress"}, "delivered", {"lead", "member", "staff"}),
    "withdraw": (OPEN, "withdrawn", {"requester", "staff"}),
    "reopen": ({"deferred"}, "triaged", {"lead", "staff"}),
}
ROLES = ["requester", "lead", "member", "other_lead", "staff"]


def body_for(action: str, *, target_domain, later_cycle, cycle, make_request) -> dict:
    """The inputs each action needs, valid, built only for the action under test."""
    if action == "accept":
        return {"planned_cycle": cycle.slug, "effort": 3}
    if action == "decline":
        return {"reason": "Out of scope for us."}
    if action == "defer":
        return {"reason": "Next quarter.", "planned_cycle": later_cycle.slug}
    if action == "mark_duplicate":
        return {"duplicate_of": make_request(S.SUBMITTED).pk}
    if action == "deliver":
        return {"delivered_product": factories.DataProductFactory(domain=target_domain).pk}
    if action == "withdraw":
        return {"reason": "No longer needed."}
    return {}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(DESIGN))
@pytest.mark.parametrize("state", list(S.values))
def test_each_role_may_take_each_action_only_where_the_design_allows(
    request, api_as, make_request, target_domain, cycle, later_cycle, state, action, role
):
    sources, target, roles = DESIGN[action]
    actor = request.getfixturevalue(role)
    obj = make_request(state)
    body = body_for(
        action,
        target_domain=target_domain,
        cycle=cycle,
        later_cycle=later_cycle,
        make_request=make_request,
    )
    events_before = obj.events.count()

    response = api_as(actor).post(f"/api/v1/requests/{obj.pk}/{action}/", body, format="json")

    obj.refresh_from_db()
    if state in sources and role in roles:
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == target == obj.status
        assert obj.version == 2
        assert list(obj.events.values_list("kind", "from_status", "to_status")) == [
            (action, state, target)
        ]
        return
    expected = 400 if state not in sources else 403
    assert response.status_code == expected, response.json()
    if expected == 400:
        assert action not in response.json()["allowed_actions"]
    assert (obj.status, obj.version, obj.events.count()) == (state, 1, events_before)


@pytest.mark.parametrize("action", list(DESIGN))
def test_anonymous_callers_cannot_take_any_action(api_as, make_request, action):
    obj = make_request(S.SUBMITTED)
    response = api_as(None).post(f"/api/v1/requests/{obj.pk}/{action}/", {}, format="json")
    assert response.status_code in (401, 403)
    obj.refresh_from_db()
    assert (obj.status, obj.version, obj.events.count()) == (S.SUBMITTED, 1, 0)


def test_a_wrong_state_answer_lists_the_actions_the_caller_may_take(api_as, lead, make_request):
    obj = make_request(S.ACCEPTED)
    response = api_as(lead).post(f"/api/v1/requests/{obj.pk}/triage/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["allowed_actions"] == ["defer", "start"]
    assert "accepted" in response.json()["detail"]


# --- validation rules ---------------------------------------------------------------------------


def _post(client, obj, action, body=None):
    return client.post(f"/api/v1/requests/{obj.pk}/{action}/", body or {}, format="json")


@pytest.mark.parametrize(
    ("missing", "field"),
    [
        ({"business_need": ""}, "business_need"),
        ({"target_domain": None}, "target_domain"),
        ({"needed_by_cycle": None}, "needed_by_cycle"),
    ],
)
def test_submitting_needs_a_business_need_a_target_and_a_cycle(
    api_as, requester, make_request, missing, field
):
    obj = make_request(S.DRAFT, **missing)
    response = _post(api_as(requester), obj, "submit")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    obj.refresh_from_db()
    assert obj.status == S.DRAFT


def test_filing_needs_a_title(api_as, requester):
    response = api_as(requester).post("/api/v1/requests/", {"title": "   "}, format="json")
    assert response.status_code == 400
    assert "title" in response.json()["errors"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"effort": 3}, "planned_cycle"),
        ({"planned_cycle": "2031-q1"}, "effort"),
        ({"planned_cycle": "2031-q1", "effort": 0}, "effort"),
    ],
)
def test_accepting_needs_a_planned_cycle_and_an_effort(api_as, lead, make_request, body, field):
    obj = make_request(S.TRIAGED)
    response = _post(api_as(lead), obj, "accept", body)
    assert response.status_code == 400
    assert field in response.json()["errors"]


@pytest.mark.parametrize("action", ["decline", "defer"])
def test_declining_and_deferring_need_a_reason(api_as, lead, make_request, action):
    obj = make_request(S.SUBMITTED)
    response = _post(api_as(lead), obj, action, {"reason": "  "})
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]


def test_deferring_to_the_cycle_it_is_already_planned_for_is_refused(
    api_as, lead, make_request, cycle
):
    obj = make_request(S.ACCEPTED)
    response = _post(api_as(lead), obj, "defer", {"reason": "later", "planned_cycle": cycle.slug})
    assert response.status_code == 400
    assert "planned_cycle" in response.json()["errors"]


def test_marking_a_duplicate_needs_another_request(api_as, lead, make_request):
    obj = make_request(S.SUBMITTED)
    client = api_as(lead)
    assert "duplicate_of" in _post(client, obj, "mark_duplicate").json()["errors"]
    itself = _post(client, obj, "mark_duplicate", {"duplicate_of": obj.pk})
    assert itself.json()["errors"]["duplicate_of"] == ["A request cannot duplicate itself."]
    other = make_request(S.DUPLICATE, duplicate_of=obj)
    circular = _post(client, obj, "mark_duplicate", {"duplicate_of": other.pk})
    assert circular.status_code == 400


def test_marking_a_duplicate_makes_the_requester_watch_the_original(
    api_as, lead, requester, make_request
):
    original = make_request(S.TRIAGED, requester=factories.UserFactory())
    obj = make_request(S.SUBMITTED)
    assert (
        _post(api_as(lead), obj, "mark_duplicate", {"duplicate_of": original.pk}).status_code == 200
    )
    assert original.watchers.filter(pk=requester.pk).exists()


def test_delivering_needs_a_live_data_product(api_as, member, make_request, target_domain):
    obj = make_request(S.IN_PROGRESS)
    client = api_as(member)
    assert "delivered_product" in _post(client, obj, "deliver").json()["errors"]
    gone = factories.DataProductFactory(domain=target_domain, status=DataProduct.Status.DEPRECATED)
    response = _post(client, obj, "deliver", {"delivered_product": gone.pk})
    assert response.status_code == 400
    assert "deprecated" in response.json()["detail"]


def test_the_data_product_must_belong_to_the_target_domain(api_as, requester, target_domain):
    elsewhere = factories.DataProductFactory()
    response = api_as(requester).post(
        "/api/v1/requests/",
        {"title": "Orders", "target_domain": target_domain.slug, "data_product": elsewhere.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "data_product" in response.json()["errors"]


# --- the audit trail ----------------------------------------------------------------------------


def test_every_action_writes_one_event_with_its_actor_and_data(
    requester, lead, member, target_domain, cycle, later_cycle
):
    product = factories.DataProductFactory(domain=target_domain)
    obj = services.request_create(
        actor=requester,
        title="Refunds per merchant",
        business_need="Chargeback model",
        target_domain=target_domain,
        needed_by_cycle=cycle,
    )
    obj = services.request_submit(data_request=obj, actor=requester)
    obj = services.request_triage(data_request=obj, actor=lead)
    obj = services.request_accept(data_request=obj, actor=lead, planned_cycle=cycle, effort=5)
    obj = services.request_defer(
        data_request=obj, actor=lead, reason="Capacity", planned_cycle=later_cycle
    )
    obj = services.request_reopen(data_request=obj, actor=lead)
    obj = services.request_accept(data_request=obj, actor=lead, planned_cycle=later_cycle, effort=5)
    obj = services.request_start(data_request=obj, actor=member)
    obj = services.request_deliver(data_request=obj, actor=member, delivered_product=product)
    rows = list(obj.events.values_list("kind", "actor__username", "from_status", "to_status"))
    assert rows == [
        ("created", "pm", "", "draft"),
        ("submit", "pm", "draft", "submitted"),
        ("triage", "lead", "submitted", "triaged"),
        ("accept", "lead", "triaged", "accepted"),
        ("defer", "lead", "accepted", "deferred"),
        ("reopen", "lead", "deferred", "triaged"),
        ("accept", "lead", "triaged", "accepted"),
        ("start", "member", "accepted", "in_progress"),
        ("deliver", "member", "in_progress", "delivered"),
    ]
    defer = obj.events.get(kind="defer")
    assert defer.data == {"reason": "Capacity", "planned_cycle": later_cycle.slug}
    assert obj.version == 9


def test_editing_and_commenting_are_recorded_too(api_as, requester, make_request):
    obj = make_request(S.SUBMITTED)
    client = api_as(requester)
    client.patch(f"/api/v1/requests/{obj.pk}/", {"title": "Sharper title"}, format="json")
    client.post(f"/api/v1/requests/{obj.pk}/comments/", {"body": "More context"}, format="json")
    assert list(obj.events.values_list("kind", flat=True)) == ["edited", "commented"]
    assert obj.events.get(kind="edited").data == {"fields": ["title"]}


# --- early or late, at the deadline's edges, in the site's time zone ----------------------------


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Asia/Tokyo"])
@pytest.mark.parametrize(
    ("local_time", "is_late", "lead_time"),
    [
        (dt.datetime(2031, 2, 14, 0, 5), False, 15),  # first minutes of the deadline day
        (dt.datetime(2031, 2, 14, 23, 30), False, 15),  # late evening of the deadline day
        (dt.datetime(2031, 2, 15, 0, 10), True, 14),  # just after midnight: late
    ],
)
def test_a_request_is_early_until_the_end_of_the_deadline_day_in_the_site_time_zone(
    settings, requester, target_domain, zone, local_time, is_late, lead_time
):
    settings.TIME_ZONE = zone
    cycle = factories.CycleFactory(
        name="2031-Q1",
        slug="2031-q1",
        request_deadline=dt.date(2031, 2, 14),
        starts_on=dt.date(2031, 3, 1),
        ends_on=dt.date(2031, 5, 31),
    )
    obj = factories.DataRequestFactory(
        requester=requester, target_domain=target_domain, needed_by_cycle=cycle
    )
    with time_machine.travel(local_time.replace(tzinfo=ZoneInfo(zone)), tick=False):
        obj = services.request_submit(data_request=obj, actor=requester)
    assert (obj.is_late, obj.lead_time_days) == (is_late, lead_time)


def test_moving_a_cycle_deadline_updates_early_and_late(staff, make_request, cycle):
    obj = make_request(S.DRAFT)
    obj = services.request_submit(data_request=obj, actor=obj.requester)
    assert obj.is_late is False
    services.cycle_update(
        cycle=cycle, actor=staff, request_deadline=obj.submitted_at.date() - dt.timedelta(days=1)
    )
    obj.refresh_from_db()
    assert obj.is_late is True


# --- optimistic concurrency ---------------------------------------------------------------------


def test_a_stale_version_answers_409_and_changes_nothing(api_as, lead, make_request, cycle):
    obj = make_request(S.SUBMITTED, version=4)
    response = _post(
        api_as(lead), obj, "accept", {"planned_cycle": cycle.slug, "effort": 2, "version": 3}
    )
    assert response.status_code == 409
    assert response.json()["current_version"] == 4
    obj.refresh_from_db()
    assert (obj.status, obj.version, obj.events.count()) == (S.SUBMITTED, 4, 0)


def test_a_stale_edit_answers_409_and_changes_nothing(api_as, requester, make_request):
    obj = make_request(S.DRAFT, title="Before", version=2)
    response = api_as(requester).patch(
        f"/api/v1/requests/{obj.pk}/", {"title": "After", "version": 1}, format="json"
    )
    assert response.status_code == 409
    obj.refresh_from_db()
    assert (obj.title, obj.version) == ("Before", 2)


def test_the_current_version_is_accepted(api_as, lead, make_request):
    obj = make_request(S.SUBMITTED, version=4)
    response = _post(api_as(lead), obj, "triage", {"version": 4})
    assert (response.status_code, response.json()["version"]) == (200, 5)
