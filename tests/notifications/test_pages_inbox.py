"""The inbox page's read action returns people to where they were, and only within the site."""

from __future__ import annotations

import pytest

from notifications.models import Notification

pytestmark = pytest.mark.django_db


def _note(user) -> Notification:
    return Notification.objects.create(
        recipient=user,
        kind=Notification.Kind.COMMENT,
        channel=Notification.Channel.IN_APP,
        message="Someone commented",
        dedupe_key=f"t:{user.pk}",
        status=Notification.Status.SENT,
    )


def test_marking_read_goes_back_to_the_page_named_in_next(client, requester):
    note = _note(requester)
    client.force_login(requester)
    response = client.post(f"/inbox/{note.pk}/read/", {"next": "/requests/?status=submitted"})
    assert response.status_code == 302
    assert response["Location"] == "/requests/?status=submitted"


@pytest.mark.parametrize(
    "target", ["https://evil.example/phish", "//evil.example/", "javascript:alert(1)"]
)
def test_marking_read_never_redirects_off_the_site(client, requester, target):
    note = _note(requester)
    client.force_login(requester)
    response = client.post(f"/inbox/{note.pk}/read/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/inbox/"
    note.refresh_from_db()
    assert note.read_at is not None
