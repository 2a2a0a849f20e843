"""The outbox in the admin: what failed and why, and retrying a selection."""

import pytest

from notifications.models import Notification

pytestmark = pytest.mark.django_db
URL = "/admin/notifications/notification/"


def _failed(user, n, error="Webhook answered 500: boom"):
    return Notification.objects.create(
        recipient=user,
        kind="accepted",
        channel="email",
        message=f"DR-{n} was accepted",
        dedupe_key=f"admin:{n}",
        status="failed",
        attempts=6,
        last_error=error,
    )


def test_the_changelist_shows_the_last_error(client, staff, requester):
    _failed(requester, 1, error="SMTP said 451 try later")
    client.force_login(staff)
    page = client.get(URL).content.decode()
    assert "Last error" in page
    assert "SMTP said 451 try later" in page


def test_the_changelist_query_count_does_not_grow_with_rows(
    client, staff, requester, django_assert_max_num_queries
):
    client.force_login(staff)
    for n in range(3):
        _failed(requester, n)
    with django_assert_max_num_queries(100) as few:
        response = client.get(URL)
    assert response.status_code == 200
    for n in range(3, 40):
        _failed(requester, n)
    assert len(few.captured_queries) > 3  # the page was measured
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert response.status_code == 200


def test_retry_selected_puts_the_chosen_failed_rows_back_and_delivers_them(
    client, staff, requester, lead, django_capture_on_commit_callbacks
):
    chosen, other = _failed(requester, 1), _failed(lead, 2)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            URL, {"action": "retry_selected", "_selected_action": [chosen.pk]}, follow=True
        )
    assert response.status_code == 200
    assert "1 notification queued again." in response.content.decode()
    chosen.refresh_from_db()
    assert (chosen.status, chosen.attempts, chosen.last_error) == ("pending", 0, "")
    assert Notification.objects.get(pk=other.pk).status == "failed"  # not selected
    for callback in callbacks:  # the dispatch after commit (eager here)
        callback()
    chosen.refresh_from_db()
    assert (chosen.status, chosen.attempts) == ("sent", 1)
