"""The in-app channel: the row is the delivery, committed with the event."""

import pytest

from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_in_app_rows_are_sent_as_soon_as_the_event_commits(filed):
    row = Notification.objects.get(kind="submitted", channel="in_app")
    assert (row.status, row.read_at) == ("sent", None)
    assert row.sent_at is not None
