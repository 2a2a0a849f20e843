"""Who a request may speak for, and how many people one comment may call (issue #18, 13-14)."""

from __future__ import annotations

import pytest

from notifications.models import Notification
from requests_app.models import Comment, DataRequest
from tests import factories

pytestmark = pytest.mark.django_db
S = DataRequest.Status


def _file(client, **extra):
    return client.post(
        "/api/v1/requests/",
        {"title": "Clicks", "target_domain": "payments", **extra},
        format="json",
    )


def test_a_pm_cannot_file_on_behalf_of_a_team_they_are_not_in(api_as, requester, target_domain):
    factories.DomainFactory(slug="risk", name="Risk")
    response = _file(api_as(requester), requesting_domain="risk")
    assert response.status_code == 400
    body = response.json()
    assert "requesting_domain" in body["errors"]
    assert "not risk" in body["detail"]
    assert "Your domains: search" in body["detail"]
    assert not DataRequest.objects.exists()


def test_a_pm_files_on_behalf_of_their_own_team(api_as, requester, target_domain):
    response = _file(api_as(requester), requesting_domain="search")
    assert (response.status_code, response.json()["requesting_domain"]) == (201, "search")


def test_a_lead_files_on_behalf_of_the_domain_they_lead(api_as, lead, target_domain):
    response = _file(api_as(lead), requesting_domain="payments")
    assert response.status_code == 201


def test_staff_may_file_on_behalf_of_any_team(api_as, staff, target_domain, requesting_domain):
    response = _file(api_as(staff), requesting_domain="search")
    assert (response.status_code, response.json()["requesting_domain"]) == (201, "search")


def test_a_requester_cannot_move_their_request_to_another_team(
    api_as, requester, target_domain, make_request
):
    factories.DomainFactory(slug="risk", name="Risk")
    obj = make_request(S.DRAFT)
    response = api_as(requester).patch(
        f"/api/v1/requests/{obj.pk}/", {"requesting_domain": "risk"}, format="json"
    )
    assert response.status_code == 400
    obj.refresh_from_db()
    assert obj.requesting_domain.slug == "search"


def test_a_comment_may_mention_twenty_people(api_as, other_lead, make_request):
    obj = make_request(S.SUBMITTED)
    names = [factories.UserFactory(username=f"u{i}").username for i in range(20)]
    body = " ".join(f"@{name}" for name in names)
    response = api_as(other_lead).post(
        f"/api/v1/requests/{obj.pk}/comments/", {"body": body}, format="json"
    )
    assert response.status_code == 201
    assert len(response.json()["mentions"]) == 20


def test_a_comment_mentioning_more_than_twenty_people_answers_400_and_notifies_nobody(
    api_as, other_lead, make_request
):
    obj = make_request(S.SUBMITTED)
    names = [factories.UserFactory(username=f"u{i}").username for i in range(34)]
    before = Notification.objects.count()
    response = api_as(other_lead).post(
        f"/api/v1/requests/{obj.pk}/comments/",
        {"body": "Everyone: " + " ".join(f"@{name}" for name in names)},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "body: A comment may mention at most 20 people; this one mentions 34. Mention the few "
        "who must act, or watch the request."
    )
    assert not Comment.objects.exists()
    assert Notification.objects.count() == before
