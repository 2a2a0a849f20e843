"""The outbox: rows with the event, delivery after commit, dedupe, retries, the sweep."""

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications import services as outbox
from notifications.channels.base import Channel, ChannelError
from notifications.channels.registry import CHANNELS
from notifications.models import Notification
from notifications.services import delivery
from requests_app import services
from tests import factories

pytestmark = pytest.mark.django_db


def test_rows_are_written_in_the_events_transaction_and_vanish_with_its_rollback(
    requester, lead, target_domain, cycle
):
    request = services.request_create(
        actor=requester,
        title="T",
        business_need="B",
        target_domain=target_domain,
        needed_by_cycle=cycle,
    )
    seen_inside = []

    def submit_then_fail():
        with transaction.atomic():
            services.request_submit(data_request=request, actor=requester)
            seen_inside.append(Notification.objects.filter(kind="submitted").exists())
            raise RuntimeError("the caller's transaction fails after the event")

    with pytest.raises(RuntimeError):
        submit_then_fail()
    assert seen_inside == [True]
    assert not Notification.objects.filter(kind="submitted").exists()
    request.refresh_from_db()
    assert request.status == "draft"


def test_delivery_is_scheduled_after_commit_not_before(
    filed, lead, cycle, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.request_accept(data_request=filed, actor=lead, planned_cycle=cycle, effort=2)
    email = Notification.objects.get(kind="accepted", channel="email")
    assert email.status == "pending"  # nothing was sent inside the transaction
    # One delivery waits for the commit (beside the review's data version, which moves then too).
    callbacks = [c for c in callbacks if "review_data_changed" not in c.__qualname__]
    assert len(callbacks) == 1
    callbacks[0]()
    email.refresh_from_db()
    assert email.status == "sent"
    assert mail.outbox[-1].to == ["pm@example.com"]
    assert "accepted" in mail.outbox[-1].subject
    assert f"/requests/{filed.pk}/" in mail.outbox[-1].body


def test_an_event_is_stored_once_however_often_it_is_processed(filed):
    event = filed.events.get(kind="submit")
    before = Notification.objects.count()
    outbox.enqueue_for_event(event)
    outbox.enqueue_for_event(event)
    assert Notification.objects.count() == before


def test_each_user_gets_one_row_per_channel_with_a_unique_dedupe_key(filed):
    keys = list(Notification.objects.values_list("dedupe_key", flat=True))
    assert len(keys) == len(set(keys))
    assert sorted(
        Notification.objects.filter(kind="submitted").values_list("channel", flat=True)
    ) == [
        "email",
        "in_app",
    ]


class Flaky(Channel):
    calls = 0
    fail_times = 2
    permanent = False

    def send(self, notification):
        Flaky.calls += 1
        if Flaky.calls <= Flaky.fail_times:
            raise ChannelError("SMTP said try later", permanent=Flaky.permanent)


@pytest.fixture
def flaky_email(monkeypatch):
    Flaky.calls, Flaky.fail_times, Flaky.permanent = 0, 2, False
    monkeypatch.setitem(CHANNELS, "email", Flaky)
    return Flaky


def _email_row(user):
    return Notification.objects.create(
        recipient=user,
        kind="accepted",
        channel="email",
        message="DR-1 was accepted",
        dedupe_key=f"test:{user.pk}",
    )


def test_a_temporary_failure_is_retried_with_backoff_then_succeeds(requester, flaky_email):
    row = _email_row(requester)
    assert outbox.deliver([row.pk]) == {"retrying": 1}
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "SMTP said try later")
    assert row.next_attempt_at > timezone.now()
    assert outbox.deliver([row.pk]) == {"skipped": 1}  # not due yet
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    outbox.deliver([row.pk])
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert outbox.deliver([row.pk]) == {"sent": 1}
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("sent", 3, "")


def test_backoff_grows_and_is_jittered():
    first = [outbox.backoff(1).total_seconds() for _ in range(20)]
    fourth = [outbox.backoff(4).total_seconds() for _ in range(20)]
    assert all(15 <= s <= 30 for s in first)
    assert all(120 <= s <= 240 for s in fourth)
    assert len(set(first)) > 1


def test_after_the_last_attempt_a_row_ends_failed_with_its_error_kept(requester, flaky_email):
    flaky_email.fail_times = 99
    row = _email_row(requester)
    for _ in range(outbox.MAX_ATTEMPTS):
        Notification.objects.filter(pk=row.pk).update(next_attempt_at=None)
        outbox.deliver([row.pk])
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("failed", 6, "SMTP said try later")


def test_a_permanent_failure_fails_at_once(requester, flaky_email):
    flaky_email.permanent = True
    row = _email_row(requester)
    assert outbox.deliver([row.pk]) == {"failed": 1}


def test_one_failing_row_does_not_block_the_others(requester, lead, flaky_email):
    flaky_email.fail_times = 1
    bad, good = _email_row(requester), _email_row(lead)
    assert outbox.deliver([bad.pk, good.pk]) == {"retrying": 1, "sent": 1}


def test_a_sent_row_is_never_sent_again(requester):
    row = _email_row(requester)
    outbox.deliver([row.pk])
    outbox.deliver([row.pk])
    assert len(mail.outbox) == 1


def test_the_sweep_redispatches_rows_left_pending_after_the_grace_period(requester):
    stale = _email_row(requester)
    fresh = _email_row(factories.UserFactory(username="fresh"))
    Notification.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=5)
    )
    assert outbox.sweep() == 1  # eager: delivered on dispatch
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, fresh.status) == ("sent", "pending")


def test_admin_retry_puts_failed_rows_back_and_delivers_them(
    requester, django_capture_on_commit_callbacks
):
    row = _email_row(requester)
    Notification.objects.filter(pk=row.pk).update(status="failed", attempts=6, last_error="x")
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.retry_failed([row.pk]) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 1)


def _hook(domain, n):
    return Notification.objects.create(
        domain=domain, kind="submitted", channel="webhook", message=f"H{n}", dedupe_key=f"h:{n}"
    )


@pytest.fixture
def hooked(target_domain, sink):
    target_domain.webhook_url, target_domain.webhook_secret = sink.url, "s3cret"
    target_domain.save()
    return target_domain


def test_webhooks_are_batched_apart_from_other_channels_and_in_small_batches():
    rows = [(i, "webhook") for i in range(10)] + [(i, "email") for i in range(100, 103)]
    rows.insert(4, (50, "email"))
    assert outbox.batches(rows) == [
        [50, 100, 101, 102],
        list(range(outbox.WEBHOOK_BATCH)),
        list(range(outbox.WEBHOOK_BATCH, 10)),
    ]


@pytest.fixture
def delivery_tasks():
    """The id batches of every deliver_notifications task run (eager tasks run in-process)."""
    from celery.signals import task_prerun

    runs: list[list[int]] = []

    def record(sender=None, args=None, **kwargs):
        if sender.name == "notifications.tasks.deliver_notifications":
            runs.append(list(args[0]))

    task_prerun.connect(record)
    yield runs
    task_prerun.disconnect(record)


def test_the_sweep_hands_webhooks_and_email_to_separate_tasks(requester, hooked, delivery_tasks):
    email, hook = _email_row(requester), _hook(hooked, 1)
    Notification.objects.update(created_at=timezone.now() - dt.timedelta(minutes=5))
    assert outbox.sweep() == 2
    assert delivery_tasks == [[email.pk], [hook.pk]]
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_a_batch_past_its_time_budget_hands_the_rest_to_a_new_task(
    hooked, sink, monkeypatch, delivery_tasks
):
    monkeypatch.setattr(delivery, "DELIVERY_BUDGET_SECONDS", 0.1)
    sink.delay = 0.2  # each send outlasts the budget
    ids = [_hook(hooked, n).pk for n in range(3)]
    assert outbox.deliver(ids) == {"sent": 1, "redispatched": 2}
    assert delivery_tasks == [ids[1:], ids[2:]]  # each task makes progress, then hands over
    assert list(Notification.objects.values_list("status", flat=True)) == ["sent"] * 3
    assert sorted(sink.keys().values()) == [1, 1, 1]


def test_the_soft_time_limit_in_a_hung_send_retries_that_row_later_and_the_rest_now(
    hooked, sink, requester, delivery_tasks
):
    """The worker's soft time limit raises SoftTimeLimitExceeded in the task from a signal
    handler (billiard uses SIGUSR1); SIGALRM does the same here, during a real hung send."""
    import signal

    from celery.exceptions import SoftTimeLimitExceeded

    sink.hang_first, sink.hang_seconds = 1, 2.0  # below the 5 s timeout: the limit fires first
    hung, other = _hook(hooked, 1), _hook(hooked, 2)
    email = _email_row(requester)

    def soft_limit(signum, frame):
        raise SoftTimeLimitExceeded()

    previous = signal.signal(signal.SIGALRM, soft_limit)
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    try:
        counts = outbox.deliver([hung.pk, other.pk, email.pk])
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert counts == {"interrupted": 1, "redispatched": 2}
    assert delivery_tasks == [[other.pk, email.pk]]
    hung.refresh_from_db()
    assert (hung.status, hung.attempts) == ("pending", 1)
    assert "time limit" in hung.last_error
    assert hung.next_attempt_at > timezone.now()  # waits for its backoff, then the sweep
    assert hung.claimed_until is None  # its lease ended with the recorded attempt
    assert set(Notification.objects.exclude(pk=hung.pk).values_list("status", flat=True)) == {
        "sent"
    }


# --- the lease: one claim per batch, one recorded outcome per send -----------------------------


def test_a_row_leased_by_another_worker_is_neither_sent_nor_swept_until_the_lease_ends(requester):
    row = _email_row(requester)
    long_ago = timezone.now() - dt.timedelta(minutes=5)
    held = timezone.now() + dt.timedelta(minutes=1)  # another worker is sending it
    Notification.objects.filter(pk=row.pk).update(created_at=long_ago, claimed_until=held)
    assert outbox.deliver([row.pk]) == {"skipped": 1}
    assert outbox.sweep() == 0
    assert mail.outbox == []
    # That worker died: once its lease is over, the sweep sends the row.
    Notification.objects.filter(pk=row.pk).update(claimed_until=timezone.now())
    assert outbox.sweep() == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.claimed_until) == ("sent", 1, None)
    assert len(mail.outbox) == 1


def test_every_recorded_outcome_ends_the_lease(requester, lead, flaky_email):
    flaky_email.fail_times = 1
    retried, sent = _email_row(requester), _email_row(lead)
    flaky_email.permanent = False
    assert outbox.deliver([retried.pk, sent.pk]) == {"retrying": 1, "sent": 1}
    failed = _email_row(factories.UserFactory(username="gone"))
    flaky_email.calls, flaky_email.permanent = 0, True
    assert outbox.deliver([failed.pk]) == {"failed": 1}
    assert list(Notification.objects.values_list("claimed_until", flat=True)) == [None] * 3


def test_a_batch_costs_one_claim_one_statement_for_the_inbox_and_one_per_email(
    requester, django_assert_num_queries
):
    users = [factories.UserFactory(username=f"u{i}") for i in range(5)]
    rows = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user, kind="accepted", channel=channel, message="DR-1 was accepted",
                dedupe_key=f"batch:{user.pk}:{channel}",
            )
            for user in users
            for channel in ("in_app", "email")
        ]
    )  # fmt: skip
    # The claim (select the rows with their recipients and lease them, in a transaction:
    # a savepoint pair inside the test's), the inbox rows marked together, then each email's
    # outcome right after its send.
    with django_assert_num_queries(2 + 2 + 1 + 5):
        assert outbox.deliver([r.pk for r in rows]) == {"sent": 10}
    assert len(mail.outbox) == 5
    assert set(Notification.objects.values_list("status", "attempts")) == {("sent", 1)}


class Crashing(Channel):
    """Sends, and crashes on the second row like a bug would (not a ChannelError)."""

    sent: list[str] = []

    def send(self, notification):
        if len(Crashing.sent) == 1:
            Crashing.sent.append(notification.dedupe_key)
            raise RuntimeError("a bug in the channel")
        Crashing.sent.append(notification.dedupe_key)


def test_a_crash_keeps_what_was_sent_holds_the_send_in_flight_and_hands_back_the_rest(
    requester, monkeypatch
):
    Crashing.sent = []
    monkeypatch.setitem(CHANNELS, "email", Crashing)
    done, in_flight, untried = (_email_row(factories.UserFactory(username=n)) for n in "abc")
    with pytest.raises(RuntimeError):
        outbox.deliver([done.pk, in_flight.pk, untried.pk])
    for row in (done, in_flight, untried):
        row.refresh_from_db()
    assert (done.status, done.claimed_until) == ("sent", None)
    # Whether the crashed send went out is unknown: the lease keeps it from everyone until
    # it runs out (then the sweep sends it again, with the same key); the untried row is free.
    assert (in_flight.status, in_flight.attempts) == ("pending", 0)
    assert in_flight.claimed_until > timezone.now() + outbox.LEASE - dt.timedelta(seconds=5)
    assert in_flight.claimed_until <= timezone.now() + outbox.LEASE  # about half a minute
    assert (untried.status, untried.claimed_until) == ("pending", None)


def test_the_lease_is_what_one_send_can_take():
    """Each send renews the lease right before it, for the longest a channel may take plus a
    margin: a worker killed mid-send holds its row about half a minute, not two."""
    from core import outbound
    from notifications.channels import email, webhook

    lease = outbox.LEASE.total_seconds()
    # A send starts with at least half the lease left (or it is renewed first).
    assert max(email.SMTP_TIMEOUT_SECONDS, webhook.TIMEOUT_SECONDS) < lease / 2
    assert lease <= 30
    assert webhook.TIMEOUT_SECONDS == outbound.DEADLINE_SECONDS


def test_a_row_taken_by_another_worker_after_the_lease_ran_out_is_not_sent_again(requester):
    """The lease of a row waiting in a slow batch may run out; if another worker took it
    meanwhile, this one skips it instead of sending it a second time."""
    first = [_email_row(factories.UserFactory(username=n)) for n in "ab"]
    until, rows = delivery._claim([r.pk for r in first])
    assert delivery._renew(rows[0], until) == until  # fresh: nothing to renew
    until = until - outbox.LEASE  # time passes: the claim ran out while the batch was slow
    Notification.objects.filter(pk__in=[r.pk for r in rows]).update(claimed_until=until)
    assert delivery._renew(rows[0], until) > timezone.now()
    # Another worker claims the second row once this worker's claim has run out.
    Notification.objects.filter(pk=rows[1].pk).update(claimed_until=until + outbox.LEASE)
    assert delivery._renew(rows[1], until) is None


def test_a_batch_of_emails_shares_one_smtp_session_and_a_refusal_spoils_none(
    requester, lead, smtp_sink, monkeypatch
):
    from notifications.channels import email

    opened = []
    real = email.connection
    monkeypatch.setattr(email, "connection", lambda: opened.append(1) or real())
    smtp_sink.refuse = {lead.email}
    first, refused, last = (_email_row(u) for u in (requester, lead, factories.UserFactory()))
    counts = outbox.deliver([first.pk, refused.pk, last.pk])
    assert counts == {"sent": 2, "failed": 1}
    assert sorted(m["to"][0] for m in smtp_sink.messages) == sorted(
        [requester.email, Notification.objects.get(pk=last.pk).recipient.email]
    )
    # One session for the batch; after the refusal the next send starts a fresh one.
    assert len(opened) == 2
