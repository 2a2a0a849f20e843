"""The benchmark generator builds data the product could have written itself.

Speed is measured by `bench/` and never asserted here; what is checked is that the generated rows
keep the product's rules (lifecycle, board ranks, early/late, outbox), so the generator cannot
drift away from the schema or the rules without a failing test.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from contextlib import nullcontext
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models
from django.test.utils import isolate_apps
from django.utils import timezone

from bench.management.commands.bench_generate import NOW, Generator
from bench.writer import Table
from notifications.models import Notification
from products.models import DataProduct, Domain
from requests_app import lifecycle
from requests_app.board.versions import BoardTotals, board_totals
from requests_app.lifecycle import BOARD_STATES
from requests_app.models import Comment, DataRequest, DomainCycleCapacity, RequestEvent

S = DataRequest.Status
N = 300


@pytest.fixture
def generated(db):
    call_command("bench_generate", requests=N, no_progress=True, stdout=StringIO())
    connection.check_constraints()  # every foreign key points at a row


def _events_by_request():
    events = defaultdict(list)
    for event in RequestEvent.objects.order_by("at", "pk"):
        events[event.request_id].append(event)
    return events


def test_every_status_is_generated_and_rows_are_valid(generated):
    assert DataRequest.objects.count() == N
    assert set(DataRequest.objects.values_list("status", flat=True)) == set(S.values)
    assert Domain.objects.count() == 60
    assert DataProduct.objects.count() == 1500
    for request in DataRequest.objects.all():
        request.full_clean()
    for notification in Notification.objects.order_by("pk")[:100]:
        notification.full_clean()


def test_each_request_has_its_audit_trail_through_allowed_transitions(generated):
    events = _events_by_request()
    assert 3 <= RequestEvent.objects.count() / N <= 7  # ~5 events per request
    for request in DataRequest.objects.all():
        trail = events[request.pk]
        assert trail[0].kind == "created"
        assert trail[0].at == request.created_at
        status, transitions = S.DRAFT, 0
        for event in trail[1:]:
            if event.kind == "commented":
                continue
            action = lifecycle.ACTIONS[event.kind]
            assert event.from_status == status, (request.pk, event.kind)
            assert status in action.sources, (request.pk, event.kind)
            assert event.to_status == action.target
            status, transitions = event.to_status, transitions + 1
        assert status == request.status, request.pk
        assert request.version == 1 + transitions


def test_status_fields_and_timestamps_agree_with_the_services(generated):
    requests = DataRequest.objects.select_related("needed_by_cycle", "delivered_product")
    for r in requests:
        times = [r.created_at, r.submitted_at, r.triaged_at, r.decided_at, r.delivered_at]
        present = [t for t in times if t is not None]
        assert present == sorted(present), r.pk
        assert max(present) <= NOW
        assert (r.submitted_at is None) == (r.status == S.DRAFT)
        if r.status in (S.ACCEPTED, S.IN_PROGRESS, S.DELIVERED):
            assert r.planned_cycle_id
            assert r.effort
            assert r.decided_at
        if r.status == S.DELIVERED:
            assert r.delivered_product.domain_id == r.target_domain_id
            assert r.delivered_product.status != DataProduct.Status.DEPRECATED
        if r.status == S.DUPLICATE:
            assert r.duplicate_of_id < r.pk
        if r.status in (S.DECLINED, S.DEFERRED):
            assert r.decision_reason


def test_early_or_late_and_lead_time_follow_the_needed_by_cycle(generated):
    submitted = DataRequest.objects.filter(submitted_at__isnull=False)
    assert submitted.filter(is_late=True).exists()
    assert submitted.filter(is_late=False).exists()
    for r in submitted.select_related("needed_by_cycle"):
        day = timezone.localdate(r.submitted_at)
        assert r.is_late == (day > r.needed_by_cycle.request_deadline), r.pk
        assert r.lead_time_days == (r.needed_by_cycle.starts_on - day).days, r.pk
    drafts = DataRequest.objects.filter(status=S.DRAFT)
    assert not drafts.exclude(is_late=None, lead_time_days=None).exists()


def test_board_ranks_are_dense_per_board_and_each_board_has_a_capacity_row(generated):
    boards = defaultdict(list)
    for domain, cycle, rank in DataRequest.objects.filter(
        status__in=BOARD_STATES, planned_cycle__isnull=False
    ).values_list("target_domain", "planned_cycle", "rank"):
        boards[(domain, cycle)].append(rank)
    assert boards
    for key, ranks in boards.items():
        assert sorted(ranks) == list(range(1, len(ranks) + 1)), key
    off_board = DataRequest.objects.exclude(status__in=BOARD_STATES)
    assert not off_board.filter(rank__isnull=False).exists()
    capacities = set(DomainCycleCapacity.objects.values_list("domain", "cycle"))
    assert set(boards) <= capacities


def test_each_board_stores_the_totals_its_requests_add_up_to(generated):
    stored = {
        (row.domain_id, row.cycle_id): BoardTotals.stored(vars(row))
        for row in DomainCycleCapacity.objects.all()
    }
    assert any(totals.count for totals in stored.values())
    for (domain_id, cycle_id), totals in stored.items():
        assert totals == board_totals(domain_id, cycle_id), (domain_id, cycle_id)


def test_comments_are_in_the_audit_trail(generated):
    assert 0.5 <= Comment.objects.count() / N <= 1.5
    commented = RequestEvent.objects.filter(kind="commented")
    assert commented.count() == Comment.objects.count()
    comments = dict(Comment.objects.values_list("pk", "request_id"))
    for event in commented:
        assert comments[event.data["comment"]] == event.request_id


def test_notifications_are_the_outbox_rows_of_the_events(generated):
    events = {e.pk: e for e in RequestEvent.objects.select_related("request__target_domain")}
    leads = defaultdict(set)
    for domain, user in Domain.leads.through.objects.values_list("domain", "user"):
        leads[domain].add(user)
    channels = Counter()
    submitted_heard = defaultdict(set)
    for n in Notification.objects.all():
        event = events[int(n.dedupe_key.split(":")[0].removeprefix("event"))]
        assert n.request_id == event.request_id
        assert n.recipient_id != event.actor_id  # never the person who acted
        channels[n.channel] += 1
        if n.channel == Notification.Channel.IN_APP:
            assert n.status == Notification.Status.SENT
        if n.kind == "submitted":
            submitted_heard[event.pk].add(n.recipient_id)
    assert channels[Notification.Channel.IN_APP] == channels[Notification.Channel.EMAIL] > N
    # Every submission reached both leads of the target domain.
    for event in events.values():
        if event.kind == "submit":
            assert submitted_heard[event.pk] == leads[event.request.target_domain_id]


class RecordingWriter:
    """Keeps the rows instead of writing them."""

    pg = False

    def __init__(self):
        self.rows = defaultdict(list)

    def write(self, table, rows):
        self.rows[table.name] += list(rows)

    def indexes_deferred(self, models_):
        return nullcontext()


def _generate_rows(seed: int) -> dict:
    writer = RecordingWriter()
    Generator(writer, random.Random(seed), progress=False).run(50)
    return writer.rows


def test_generation_is_seeded():
    first, again, other = _generate_rows(7), _generate_rows(7), _generate_rows(8)

    assert first["requests_app_datarequest"] == again["requests_app_datarequest"]
    assert first["requests_app_notification"] == again["requests_app_notification"]
    assert first["requests_app_datarequest"] != other["requests_app_datarequest"]


def test_generator_refuses_a_database_that_has_data(db):
    Domain.objects.create(name="Existing", slug="existing")
    with pytest.raises(CommandError, match="already has data"):
        call_command("bench_generate", requests=10, no_progress=True, stdout=StringIO())


# --- the model-driven table --------------------------------------------------------------------


def test_fields_the_generator_does_not_name_get_their_model_defaults(db):
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    table = Table(
        Notification, ["recipient_id", "kind", "channel", "message", "dedupe_key"], now=now
    )
    defaults = dict(zip(table.columns[5:], table.tail, strict=True))

    assert "id" not in table.columns  # numbered by the sequence
    assert defaults["digest"] == ""
    assert defaults["status"] == Notification.Status.PENDING
    assert defaults["attempts"] == 0
    assert defaults["created_at"] == now
    assert defaults["sent_at"] is None
    assert len(table.columns) == len(Notification._meta.concrete_fields) - 1


@isolate_apps("bench")
def test_a_required_field_without_default_stops_the_generator_with_its_name():
    class Strict(models.Model):
        must = models.IntegerField()

        class Meta:
            app_label = "bench"

        def __str__(self) -> str:
            return str(self.must)

    with pytest.raises(CommandError, match=r"Strict\.must is required"):
        Table(Strict, [], now=NOW)
