"""Upgrading from the schema before notifications and review became apps keeps every row: the
tables stay, the new apps adopt them (state only), with their content types."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

BEFORE = [
    ("requests_app", "0004_review_not_made_it_index"),
    ("products", "0002_backfill_webhook_secrets"),
]


def test_rows_written_before_the_move_are_read_by_the_new_apps(migrator):
    old = migrator.migrate(BEFORE)
    User = old.get_model("auth", "User")
    Domain = old.get_model("products", "Domain")
    Cycle = old.get_model("requests_app", "RoadmapCycle")
    Request = old.get_model("requests_app", "DataRequest")
    OldNotification = old.get_model("requests_app", "Notification")
    OldPreference = old.get_model("requests_app", "NotificationPreference")
    OldSnapshot = old.get_model("requests_app", "ReviewSnapshot")
    # The content type as Django created it for the old app (permissions, admin history).
    ContentType.objects.filter(app_label="notifications", model="notification").delete()
    ContentType.objects.get_or_create(app_label="requests_app", model="notification")

    pm = User.objects.create(username="pm")
    payments = Domain.objects.create(name="Payments", slug="payments")
    cycle = Cycle.objects.create(
        name="2031-Q1",
        slug="2031-q1",
        request_deadline=dt.date(2030, 12, 1),
        starts_on=dt.date(2031, 1, 1),
        ends_on=dt.date(2031, 3, 31),
    )
    data_request = Request.objects.create(
        title="Card payments", requester=pm, target_domain=payments, needed_by_cycle=cycle
    )
    note = OldNotification.objects.create(
        recipient=pm,
        kind="accepted",
        request=data_request,
        channel="in_app",
        message="Accepted",
        dedupe_key="k1",
        status="sent",
        sent_at=timezone.now(),
    )
    OldPreference.objects.create(user=pm, kind="comment", channel="email", digest="weekly")
    snapshot = OldSnapshot.objects.create(cycle=cycle, status="done", data={"filed": 1})

    migrator.migrate(None)  # every app to its latest migration

    from notifications.models import Notification, NotificationPreference
    from review.models import ReviewSnapshot

    moved = Notification.objects.get(pk=note.pk)
    assert (moved.kind, moved.message, moved.request_id) == (
        "accepted",
        "Accepted",
        data_request.pk,
    )
    assert NotificationPreference.objects.get(user_id=pm.pk).digest == "weekly"
    assert ReviewSnapshot.objects.get(pk=snapshot.pk).data == {"filed": 1}
    adopted = ContentType.objects.get(app_label="notifications", model="notification")
    assert not ContentType.objects.filter(app_label="requests_app", model="notification").exists()
    assert adopted.model_class() is Notification
