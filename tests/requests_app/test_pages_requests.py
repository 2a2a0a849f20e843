"""Request and cycle pages: filing, the list and its tabs, the request page and its actions,
discussion, watching, cycles and the home sections — asserted on what the user sees."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from requests_app.models import DataRequest
from tests import factories
from tests.requests_app.conftest import make_cycle

S = DataRequest.Status


@pytest.fixture
def as_user(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def html(response) -> str:
    return response.content.decode()


# --- filing -------------------------------------------------------------------------------------


def test_the_filing_form_defaults_to_the_next_cycle_open_for_early_requests(
    as_user, requester, cycle, later_cycle
):
    make_cycle("2030-Q4", deadline_in_days=-3)  # deadline passed: not the default
    page = html(as_user(requester).get("/requests/new/"))
    assert f'<option value="{cycle.slug}" selected>' in page
    assert "Save draft" in page
    assert "Submit" in page


def test_a_pm_saves_a_draft(as_user, requester, target_domain, cycle):
    response = as_user(requester).post(
        "/requests/new/",
        {
            "title": "Orders per hour",
            "target_domain": "payments",
            "urgency": "low",
            "intent": "draft",
        },
    )
    obj = DataRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/requests/{obj.pk}/"
    assert (obj.status, obj.requester, obj.target_domain) == (S.DRAFT, requester, target_domain)


def test_a_pm_files_and_submits_in_one_go(as_user, requester, target_domain, cycle):
    client = as_user(requester)
    response = client.post(
        "/requests/new/",
        {
            "title": "Orders per hour",
            "business_need": "Staffing forecast",
            "target_domain": "payments",
            "needed_by_cycle": cycle.slug,
            "urgency": "high",
            "intent": "submit",
        },
        follow=True,
    )
    page = html(response)
    obj = DataRequest.objects.get()
    assert obj.status == S.SUBMITTED
    assert f"{obj.key} submitted." in page
    assert '<span class="early"' in page


def test_submitting_without_a_business_need_shows_the_error_next_to_the_field(
    as_user, requester, target_domain, cycle
):
    response = as_user(requester).post(
        "/requests/new/",
        {
            "title": "Orders",
            "target_domain": "payments",
            "needed_by_cycle": cycle.slug,
            "intent": "submit",
            "urgency": "low",
        },
    )
    assert response.status_code == 400
    assert "Say why you need this data" in html(response)
    assert not DataRequest.objects.exists()


def test_a_title_of_ten_thousand_characters_is_refused(as_user, requester):
    response = as_user(requester).post("/requests/new/", {"title": "t" * 10_000, "urgency": "low"})
    assert response.status_code == 400
    assert not DataRequest.objects.exists()


def test_choosing_a_cycle_whose_deadline_passed_warns_before_submitting(as_user, requester):
    passed = make_cycle("2030-Q4", deadline_in_days=-3)
    page = html(as_user(requester).get(f"/requests/new/deadline/?needed_by_cycle={passed.slug}"))
    deadline = passed.request_deadline
    assert f"Late for {passed.name}" in page
    assert f"filed after its request deadline of {deadline.day} {deadline:%b %Y}" in page
    assert "the domain may not be able to plan it" in page


def test_choosing_an_open_cycle_says_how_long_is_left(as_user, requester, cycle):
    page = html(as_user(requester).get(f"/requests/new/deadline/?needed_by_cycle={cycle.slug}"))
    assert f"Early for {cycle.name}" in page
    assert "in 20 days" in page


def test_the_similar_panel_offers_to_consume_a_product_or_watch_a_request(
    as_user, requester, target_domain, make_request
):
    factories.DataProductFactory(domain=target_domain, name="Refund events")
    other = make_request(
        S.TRIAGED, title="Refund events per merchant", requester=factories.UserFactory()
    )
    page = html(
        as_user(requester).get("/requests/similar/?title=refund+events&target_domain=payments")
    )
    assert "This product may already answer your need — consume it" in page
    assert "Refund events</a>" in page
    assert "A similar request is open — say you need it too" in page
    assert f'hx-post="/requests/{other.pk}/watch/"' in page


def test_the_product_choices_follow_the_chosen_domain(as_user, requester, target_domain):
    factories.DataProductFactory(domain=target_domain, name="Ledger")
    factories.DataProductFactory(name="Elsewhere")
    page = html(as_user(requester).get("/requests/new/products/?target_domain=payments"))
    assert "Ledger" in page
    assert "Elsewhere" not in page


# --- the list -----------------------------------------------------------------------------------


def test_the_list_has_tabs_for_my_requests_and_each_of_my_domains_incoming(
    as_user, lead, make_request
):
    make_request(S.SUBMITTED, title="Incoming one")
    page = html(as_user(lead).get("/requests/?target_domain=payments"))
    assert '<a href="/requests/?requester=me"' in page
    assert (
        'href="/requests/?target_domain=payments" aria-current="page">Incoming for Payments' in page
    )
    assert "Incoming one" in page


@pytest.mark.parametrize("rows", [2, 20])
def test_the_list_page_costs_the_same_queries_for_2_or_20_rows(
    as_user, lead, make_request, django_assert_num_queries, rows
):
    for i in range(rows):
        make_request([S.SUBMITTED, S.ACCEPTED][i % 2], requester=factories.UserFactory())
    client = as_user(lead)
    # session + user (2), the user's domains for tabs (1) and roles (1), the page of requests as
    # plain values (1) and the names its rows show (1), the filter form's domain and cycle choices
    # (4), the unread badge (1), the searchable product picker's choices (1) and the saved
    # views (1)
    with django_assert_num_queries(13):
        response = client.get("/requests/")
    assert response.status_code == 200
    assert html(response).count('class="pill status-') == rows


# --- the request page ---------------------------------------------------------------------------


def _buttons(page: str) -> list[str]:
    return [
        name
        for name in (
            "triage",
            "accept",
            "decline",
            "defer",
            "mark_duplicate",
            "start",
            "deliver",
            "withdraw",
            "reopen",
            "submit",
        )
        if f'class="card action action-{name}"' in page
    ]


@pytest.mark.parametrize(
    ("role", "buttons"),
    [
        ("requester", ["withdraw"]),
        ("lead", ["triage", "accept", "decline", "defer", "mark_duplicate"]),
        ("member", []),
        ("other_lead", []),
        ("staff", ["triage", "accept", "decline", "defer", "mark_duplicate", "withdraw"]),
    ],
)
def test_the_request_page_shows_only_the_actions_the_user_may_take(
    request, as_user, make_request, role, buttons
):
    obj = make_request(S.SUBMITTED)
    page = html(as_user(request.getfixturevalue(role)).get(f"/requests/{obj.pk}/"))
    assert _buttons(page) == buttons


def test_the_request_page_shows_key_facts_and_the_late_flag(as_user, member, make_request):
    obj = make_request(S.SUBMITTED, is_late=True, lead_time_days=12, urgency="critical")
    page = html(as_user(member).get(f"/requests/{obj.pk}/"))
    assert f"{obj.key} · {obj.title}" in page
    assert '<span class="pill status-submitted">Submitted</span>' in page
    assert '<span class="late"' in page
    assert "lead time 12 days" in page
    assert "Critical" in page


def test_a_lead_accepts_with_a_cycle_and_an_effort(as_user, lead, make_request, cycle):
    obj = make_request(S.SUBMITTED)
    response = as_user(lead).post(
        f"/requests/{obj.pk}/do/accept/",
        {"accept-planned_cycle": cycle.slug, "accept-effort": "5", "accept-version": "1"},
        follow=True,
    )
    obj.refresh_from_db()
    assert (obj.status, obj.effort, obj.planned_cycle) == (S.ACCEPTED, 5, cycle)
    assert f"{obj.key}: accept done." in html(response)


def test_a_service_error_is_shown_next_to_the_action(as_user, lead, make_request):
    obj = make_request(S.SUBMITTED)
    response = as_user(lead).post(f"/requests/{obj.pk}/do/decline/", {"decline-reason": " "})
    assert response.status_code == 400
    assert "Give a reason to decline" in html(response)
    obj.refresh_from_db()
    assert obj.status == S.SUBMITTED


def test_a_forbidden_action_answers_403_with_the_reason(as_user, member, make_request):
    obj = make_request(S.SUBMITTED)
    response = as_user(member).post(f"/requests/{obj.pk}/do/triage/", {"triage-version": "1"})
    assert response.status_code == 403
    assert "Only a lead of Payments (or staff) may triage" in html(response)


def test_a_stale_action_answers_409_and_says_to_reload(as_user, lead, make_request):
    obj = make_request(S.SUBMITTED, version=3)
    response = as_user(lead).post(f"/requests/{obj.pk}/do/triage/", {"triage-version": "2"})
    assert response.status_code == 409
    assert "Reload it" in html(response)


def test_an_action_from_the_wrong_state_answers_400(as_user, lead, make_request):
    obj = make_request(S.DECLINED)
    response = as_user(lead).post(f"/requests/{obj.pk}/do/triage/", {})
    assert response.status_code == 400
    assert "Cannot triage" in html(response)


def test_the_timeline_interleaves_events_and_comments(as_user, requester, lead, make_request):
    obj = make_request(S.DRAFT)
    client = as_user(requester)
    client.post(f"/requests/{obj.pk}/do/submit/", {"submit-version": "1"})
    client.post(f"/requests/{obj.pk}/comment/", {"body": "Ping @lead"})
    as_user(lead).post(f"/requests/{obj.pk}/do/triage/", {"triage-version": "2"})
    page = html(as_user(requester).get(f"/requests/{obj.pk}/"))
    submitted, commented, triaged = (
        page.index(s)
        for s in ('class="event event-submit"', "Ping @lead", 'class="event event-triage"')
    )
    assert submitted < commented < triaged


def test_an_empty_comment_shows_an_error(as_user, requester, make_request):
    obj = make_request(S.SUBMITTED)
    response = as_user(requester).post(f"/requests/{obj.pk}/comment/", {"body": ""})
    assert response.status_code == 400
    assert obj.comments.count() == 0


def test_mention_completion_lists_usernames_by_prefix(as_user, requester, lead):
    factories.UserFactory(username="leah")
    # Names too match a prefix: the factory's random ones must not start with "le" here.
    requester.first_name, requester.last_name = "Pat", "Morgan"
    requester.save(update_fields=["first_name", "last_name"])
    page = html(as_user(requester).get("/requests/mentions/?q=le"))
    assert 'data-mention="lead"' in page
    assert 'data-mention="leah"' in page
    assert 'data-mention="pm"' not in page


def test_the_watch_toggle_swaps_its_button(as_user, member, make_request):
    obj = make_request(S.SUBMITTED)
    client = as_user(member)
    page = html(client.post(f"/requests/{obj.pk}/watch/", {"watch": "1"}, HTTP_HX_REQUEST="true"))
    assert "Watching ✓" in page
    assert obj.watchers.filter(pk=member.pk).exists()
    page = html(client.post(f"/requests/{obj.pk}/watch/", {"watch": "0"}, HTTP_HX_REQUEST="true"))
    assert ">Watch</button>" in page
    assert not obj.watchers.filter(pk=member.pk).exists()


def test_the_requester_edits_a_submitted_request(as_user, requester, make_request, cycle):
    obj = make_request(S.SUBMITTED, title="Old")
    client = as_user(requester)
    assert 'value="Old"' in html(client.get(f"/requests/{obj.pk}/edit/"))
    response = client.post(
        f"/requests/{obj.pk}/edit/",
        {
            "title": "New",
            "business_need": obj.business_need,
            "target_domain": "payments",
            "needed_by_cycle": cycle.slug,
            "urgency": "high",
            "version": "1",
        },
    )
    assert response.status_code == 302
    obj.refresh_from_db()
    assert (obj.title, obj.urgency, obj.version) == ("New", "high", 2)


def test_editing_after_triage_sends_the_requester_to_the_comments(as_user, requester, make_request):
    obj = make_request(S.TRIAGED)
    response = as_user(requester).get(f"/requests/{obj.pk}/edit/")
    assert response.status_code == 400
    assert "Add a comment instead" in html(response)


def test_the_request_page_reads_in_a_bounded_number_of_queries(
    as_user, lead, make_request, django_assert_max_num_queries
):
    obj = make_request(S.SUBMITTED)
    for i in range(5):
        factories.CommentFactory(request=obj, body=f"comment {i}")
    client = as_user(lead)
    # The request, its timeline, comments, watchers, actions, endorsements and work-item links:
    # a fixed number whatever their count.
    with django_assert_max_num_queries(16):
        response = client.get(f"/requests/{obj.pk}/")
    assert response.status_code == 200


# --- cycles and home ----------------------------------------------------------------------------


def test_the_cycle_pages_show_the_deadline_countdown_and_counts_by_status(
    as_user, member, make_request, cycle
):
    make_request(S.SUBMITTED)
    make_request(S.SUBMITTED)
    make_request(S.ACCEPTED)
    client = as_user(member)
    listing = html(client.get("/cycles/"))
    assert "20 days left" in listing
    page = html(client.get(f"/cycles/{cycle.slug}/"))
    assert f'?needed_by_cycle={cycle.slug}&amp;status=submitted">2</a>' in page
    assert f'?needed_by_cycle={cycle.slug}&amp;status=accepted">1</a>' in page


def test_a_passed_deadline_reads_as_days_ago(as_user, member):
    make_cycle("2030-Q4", deadline_in_days=-3)
    assert "passed 3 days ago" in html(as_user(member).get("/cycles/2030-q4/"))


def test_home_shows_my_drafts_my_open_requests_and_what_leads_must_triage(
    as_user, requester, lead, make_request
):
    make_request(S.DRAFT, title="Half-written")
    make_request(S.ACCEPTED, title="On its way")
    make_request(S.SUBMITTED, title="Waiting")
    mine = html(as_user(requester).get("/"))
    assert "Your drafts" in mine
    assert "Half-written" in mine
    assert "On its way" in mine
    assert '<span class="pill status-accepted">' in mine
    theirs = html(as_user(lead).get("/"))
    assert "Payments: 1 submitted request to triage" in theirs


def test_a_long_backlog_to_triage_is_counted_up_to_a_cap(
    as_user, lead, make_request, monkeypatch, django_assert_num_queries
):
    from requests_app import home

    monkeypatch.setattr(home, "COUNT_CAP", 3)
    for _ in range(2):
        make_request(S.SUBMITTED)
    assert "Payments: 2 submitted requests to triage" in html(as_user(lead).get("/"))
    for _ in range(3):
        make_request(S.SUBMITTED)
    make_request(S.TRIAGED)
    assert "Payments: 2+ submitted requests to triage" in html(as_user(lead).get("/"))
    # One count per page, however many domains the lead leads.
    section = home.incoming_to_triage
    with django_assert_num_queries(1):
        section(lead)


def test_the_nav_links_to_requests_filing_and_cycles(as_user, member):
    page = html(as_user(member).get("/"))
    for link in (
        'href="/requests/">Requests',
        'href="/requests/new/">File a request',
        'href="/cycles/">Cycles',
    ):
        assert link in page


def test_pages_need_a_signed_in_user(client):
    response = client.get("/requests/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_submitted_at_in_the_timeline_is_in_the_site_time_zone(
    settings, as_user, lead, make_request
):
    settings.TIME_ZONE = "Asia/Tokyo"
    obj = make_request(S.SUBMITTED)
    obj.events.create(kind="triage", actor=lead, from_status="submitted", to_status="triaged")
    event = obj.events.get()
    local = timezone.localtime(event.at, dt.timezone(dt.timedelta(hours=9)))
    assert f"{local:%H:%M}" in html(as_user(lead).get(f"/requests/{obj.pk}/"))
