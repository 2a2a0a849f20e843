"""Work-item links: URL parsing, who links (role × action), the signed inbound hooks of GitHub,
Jira and Linear (payloads in their documented shapes), and the leads told when work is done."""

from __future__ import annotations

import pytest

from notifications.models import Notification
from requests_app.models import RequestEvent, WorkItemLink
from requests_app.workitems import services as links
from requests_app.workitems.parsing import parse_url
from tests.requests_app import tracker_payloads as p

pytestmark = pytest.mark.django_db
ROLES = ["requester", "member", "other_lead", "lead", "staff"]
MAY_LINK = {"lead", "member", "staff"}


@pytest.fixture(autouse=True)
def _hook_secrets(settings):
    settings.GITHUB_WEBHOOK_SECRET = p.GITHUB_SECRET
    settings.JIRA_WEBHOOK_SECRET = p.JIRA_SECRET
    settings.LINEAR_WEBHOOK_SECRET = p.LINEAR_SECRET


@pytest.fixture
def roles(requester, member, other_lead, lead, staff):
    return dict(requester=requester, member=member, other_lead=other_lead, lead=lead, staff=staff)


@pytest.fixture
def submitted(make_request):
    return make_request("submitted")


@pytest.fixture
def linked(submitted, lead):
    return links.link_create(
        data_request=submitted, url="https://github.com/acme/data/issues/12", actor=lead
    )


@pytest.mark.parametrize(
    ("url", "kind", "key"),
    [
        ("https://github.com/Acme/Data/issues/12", "github", "acme/data#12"),
        ("https://github.com/acme/data/pull/7", "github", "acme/data#7"),
        ("https://acme.atlassian.net/browse/DATA-7", "jira", "DATA-7"),
        ("https://jira.acme.internal/browse/OPS-1", "jira", "OPS-1"),
        (
            "https://acme.atlassian.net/jira/software/projects/DATA/boards/1?selectedIssue=DATA-9",
            "jira",
            "DATA-9",
        ),
        ("https://linear.app/acme/issue/ENG-3/publish-clicks", "linear", "ENG-3"),
        ("https://tracker.example/item/5", "other", "https://tracker.example/item/5"),
    ],
)
def test_the_kind_and_key_come_from_the_url(url, kind, key):
    assert parse_url(url) == (kind, key)


@pytest.mark.parametrize("role", ROLES)
def test_the_domains_leads_members_and_staff_link_and_unlink(api_as, roles, role, submitted, lead):
    client = api_as(roles[role])
    url = f"/api/v1/requests/{submitted.pk}/links/"
    response = client.post(url, {"url": "https://linear.app/acme/issue/ENG-3/x"}, format="json")
    assert response.status_code == (201 if role in MAY_LINK else 403)
    other = links.link_create(
        data_request=submitted, url="https://acme.atlassian.net/browse/DATA-7", actor=lead
    )
    assert client.delete(f"{url}{other.pk}/").status_code == (204 if role in MAY_LINK else 403)
    assert client.get(url).status_code == 200


def test_a_link_answers_its_kind_key_and_unknown_state(api_as, member, submitted):
    url = f"/api/v1/requests/{submitted.pk}/links/"
    created = api_as(member).post(
        url, {"url": "https://github.com/acme/data/issues/12"}, format="json"
    )
    assert {k: created.json()[k] for k in ("kind", "external_key", "state")} == {
        "kind": "github",
        "external_key": "acme/data#12",
        "state": "unknown",
    }
    assert RequestEvent.objects.filter(request=submitted, kind="linked").count() == 1


@pytest.mark.parametrize(
    ("url", "words"),
    [("not a url", "https://"), ("http://github.com/a/b/issues/1", "https://")],
)
def test_a_bad_url_answers_400_saying_what_to_give(api_as, lead, submitted, url, words):
    response = api_as(lead).post(
        f"/api/v1/requests/{submitted.pk}/links/", {"url": url}, format="json"
    )
    assert response.status_code == 400
    assert words in response.json()["detail"]


def test_the_same_issue_twice_answers_400(api_as, lead, submitted, linked):
    response = api_as(lead).post(
        f"/api/v1/requests/{submitted.pk}/links/",
        {"url": "https://github.com/ACME/data/issues/12"},
        format="json",
    )
    assert response.status_code == 400
    assert "already linked" in response.json()["detail"]


def post_github(client, payload, *, signature=None, event="issues"):
    body = p.encode(payload)
    headers = {"HTTP_X_GITHUB_EVENT": event}
    if signature is not False:
        headers["HTTP_X_HUB_SIGNATURE_256"] = signature or p.github_signature(body)
    return client.post("/hooks/github/", body, content_type="application/json", **headers)


def test_a_github_issue_closed_marks_the_link_done_and_tells_the_leads(
    client, linked, lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_github(client, p.github_issues("closed", repo="acme/data"))
    assert (response.status_code, response.json()["updated"]) == (200, 1)
    linked.refresh_from_db()
    assert linked.state == "done"
    told = Notification.objects.get(kind="work_item_done", recipient=lead, channel="in_app")
    assert "acme/data#12 is done on Github" in told.message
    # GitHub redelivers: nothing changes, nobody is told twice.
    post_github(client, p.github_issues("closed", repo="acme/data"))
    assert Notification.objects.filter(kind="work_item_done", channel="in_app").count() == 1


def test_a_github_issue_reopened_is_open_again(client, linked):
    post_github(client, p.github_issues("closed", repo="acme/data"))
    post_github(client, p.github_issues("reopened", repo="acme/data"))
    linked.refresh_from_db()
    assert linked.state == "open"


@pytest.mark.parametrize("signature", [False, "sha256=" + "0" * 64, "sha1=abc"])
def test_unsigned_or_badly_signed_github_calls_answer_401_and_change_nothing(
    client, linked, signature
):
    response = post_github(client, p.github_issues("closed", repo="acme/data"), signature=signature)
    assert response.status_code == 401
    linked.refresh_from_db()
    assert linked.state == "unknown"


def test_an_unknown_github_issue_is_ignored_with_202(client, linked):
    response = post_github(client, p.github_issues("closed", number=999, repo="acme/data"))
    assert response.status_code == 202


def test_github_ping_and_other_events_are_acknowledged(client):
    assert post_github(client, {"zen": "Keep it simple."}, event="ping").status_code == 200
    assert post_github(client, {"action": "created"}, event="star").status_code == 202


def test_an_unset_secret_refuses_every_call(client, linked, settings):
    settings.GITHUB_WEBHOOK_SECRET = ""
    assert post_github(client, p.github_issues("closed", repo="acme/data")).status_code == 401


@pytest.fixture
def jira_link(submitted, lead):
    return links.link_create(
        data_request=submitted, url="https://acme.atlassian.net/browse/DATA-7", actor=lead
    )


@pytest.mark.parametrize(
    ("category", "state"), [("new", "open"), ("indeterminate", "in_progress"), ("done", "done")]
)
def test_jira_status_categories_set_the_state(client, jira_link, category, state):
    body = p.encode(p.jira_issue_updated(category=category))
    response = client.post(
        f"/hooks/jira/?secret={p.JIRA_SECRET}", body, content_type="application/json"
    )
    assert response.status_code == 200
    jira_link.refresh_from_db()
    assert jira_link.state == state


def test_jira_accepts_the_secret_as_a_bearer_header(client, jira_link):
    body = p.encode(p.jira_issue_updated())
    response = client.post(
        "/hooks/jira/",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {p.JIRA_SECRET}",
    )
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["", "?secret=wrong"])
def test_jira_without_the_shared_secret_answers_401(client, jira_link, query):
    body = p.encode(p.jira_issue_updated())
    response = client.post(f"/hooks/jira/{query}", body, content_type="application/json")
    assert response.status_code == 401
    jira_link.refresh_from_db()
    assert jira_link.state == "unknown"


@pytest.fixture
def linear_link(submitted, lead):
    return links.link_create(
        data_request=submitted, url="https://linear.app/acme/issue/ENG-3/clicks", actor=lead
    )


def post_linear(client, payload, signature=None):
    body = p.encode(payload)
    return client.post(
        "/hooks/linear/",
        body,
        content_type="application/json",
        HTTP_LINEAR_SIGNATURE=signature or p.linear_signature(body),
    )


@pytest.mark.parametrize(
    ("state_type", "state"), [("started", "in_progress"), ("completed", "done")]
)
def test_a_linear_issue_update_sets_the_state(client, linear_link, state_type, state):
    assert post_linear(client, p.linear_issue(state_type=state_type)).status_code == 200
    linear_link.refresh_from_db()
    assert linear_link.state == state


def test_a_badly_signed_or_replayed_linear_call_answers_401(client, linear_link):
    assert post_linear(client, p.linear_issue(), signature="0" * 64).status_code == 401
    stale = p.linear_issue(webhookTimestamp=1_600_000_000_000)
    assert post_linear(client, stale).status_code == 401
    linear_link.refresh_from_db()
    assert linear_link.state == "unknown"


def test_a_body_that_is_not_json_answers_400(client, linear_link):
    body = b"not json"
    response = client.post(
        "/hooks/linear/",
        body,
        content_type="application/json",
        HTTP_LINEAR_SIGNATURE=p.linear_signature(body),
    )
    assert response.status_code == 400


def test_the_request_page_shows_each_link_with_its_state(client, lead, linked, submitted):
    links.links_set_state(kind="github", key="acme/data#12", state="in_progress")
    client.force_login(lead)
    page = client.get(f"/requests/{submitted.pk}/").content.decode()
    assert "GitHub acme/data#12" in page
    assert "In progress" in page
    assert 'name="url"' in page  # the lead may link another


def test_the_page_form_links_and_unlinks(client, member, submitted):
    client.force_login(member)
    client.post(f"/requests/{submitted.pk}/links/", {"url": "https://linear.app/a/issue/ENG-9/x"})
    link = WorkItemLink.objects.get(request=submitted)
    assert link.external_key == "ENG-9"
    client.post(f"/requests/{submitted.pk}/links/{link.pk}/delete/")
    assert not WorkItemLink.objects.filter(request=submitted).exists()


def test_the_requester_sees_links_but_no_form(client, requester, linked, submitted):
    client.force_login(requester)
    page = client.get(f"/requests/{submitted.pk}/").content.decode()
    assert "acme/data#12" in page
    assert 'name="url"' not in page
    assert (
        client.post(f"/requests/{submitted.pk}/links/", {"url": "https://x.example/1"}).status_code
        == 403
    )


def test_the_link_list_costs_the_same_queries_for_one_or_many(
    api_as, lead, submitted, django_assert_max_num_queries
):
    client = api_as(lead)
    url = f"/api/v1/requests/{submitted.pk}/links/"
    links.link_create(data_request=submitted, url="https://linear.app/a/issue/ENG-1/x", actor=lead)
    with django_assert_max_num_queries(10) as one:
        client.get(url)
    for n in range(2, 8):
        links.link_create(
            data_request=submitted, url=f"https://linear.app/a/issue/ENG-{n}/x", actor=lead
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(client.get(url).json()) == 7
