"""The inbox API: your own notifications only; read one, read all; constant queries."""

import pytest

from notifications.models import Notification

pytestmark = pytest.mark.django_db


def _note(user, n=0, read=False):
    from django.utils import timezone

    return Notification.objects.create(
        recipient=user,
        kind="accepted",
        channel="in_app",
        message=f"Note {n}",
        payload={"path": "/requests/1/"},
        dedupe_key=f"api:{user.pk}:{n}",
        status="sent",
        read_at=timezone.now() if read else None,
    )


def test_inbox_lists_your_notifications_newest_first_in_the_contract_shape(api_as, requester, lead):
    _note(requester, 1)
    second = _note(requester, 2)
    _note(lead, 3)
    body = api_as(requester).get("/api/v1/notifications/").json()
    assert [r["message"] for r in body["results"]] == ["Note 2", "Note 1"]
    assert set(body["results"][0]) >= {"id", "kind", "request", "message", "created_at", "read_at"}
    assert body["results"][0]["id"] == second.pk


def test_unread_filter_and_bad_value(api_as, requester):
    _note(requester, 1, read=True)
    _note(requester, 2)
    client = api_as(requester)
    assert [
        r["message"] for r in client.get("/api/v1/notifications/?unread=true").json()["results"]
    ] == ["Note 2"]
    assert client.get("/api/v1/notifications/?unread=maybe").status_code == 400


def test_mark_one_read_and_all_read(api_as, requester):
    a, _b = _note(requester, 1), _note(requester, 2)
    client = api_as(requester)
    assert client.post(f"/api/v1/notifications/{a.pk}/read/").json()["read_at"]
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_someone_elses_notification_is_not_found(api_as, requester, lead):
    theirs = _note(lead)
    assert api_as(requester).post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_anonymous_gets_401(api):
    assert api.get("/api/v1/notifications/").status_code == 401


def test_inbox_query_count_is_constant(api_as, requester, django_assert_max_num_queries):
    client = api_as(requester)
    _note(requester, 0)
    with django_assert_max_num_queries(2):
        response = client.get("/api/v1/notifications/")
    assert response.status_code == 200
    for n in range(1, 30):
        _note(requester, n)
    with django_assert_max_num_queries(2):
        assert len(client.get("/api/v1/notifications/").json()["results"]) == 30


def test_the_page_header_shows_the_unread_count_and_the_inbox_marks_read(client, requester):
    note = _note(requester)
    client.force_login(requester)
    assert b'id="unread-badge">1<' in client.get("/").content
    response = client.post(f"/inbox/{note.pk}/read/", HTTP_HX_REQUEST="true")
    assert b"Mark read" not in response.content
    assert b'id="unread-badge"' not in client.get("/inbox/").content


def test_the_badge_stops_counting_at_99_plus(client, requester):
    Notification.objects.bulk_create(
        Notification(
            recipient=requester,
            kind="accepted",
            channel="in_app",
            message=f"Note {n}",
            payload={},
            dedupe_key=f"badge:{n}",
            status="sent",
        )
        for n in range(101)
    )
    client.force_login(requester)
    page = client.get("/").content
    assert b'id="unread-badge">99+<' in page
    assert b"Inbox, 99+ unread" in page
    Notification.objects.filter(
        pk__in=list(Notification.objects.values_list("pk", flat=True)[:2])
    ).delete()
    assert b'id="unread-badge">99<' in client.get("/").content
