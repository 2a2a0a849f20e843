"""Periodic jobs: reminders and digests, never repeated for the same thing, person and day."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from notifications import services as outbox
from notifications.models import Notification
from requests_app.models import DataRequest
from tests import factories

pytestmark = pytest.mark.django_db
S = DataRequest.Status


def test_triage_overdue_reminds_leads_once_a_day_even_when_run_twice(lead, target_domain):
    old = timezone.now() - dt.timedelta(days=30)
    factories.DataRequestFactory(target_domain=target_domain, status=S.SUBMITTED, submitted_at=old)
    factories.DataRequestFactory(target_domain=target_domain, status=S.SUBMITTED, submitted_at=old)
    outbox.remind_triage_overdue()
    outbox.remind_triage_overdue()
    rows = Notification.objects.filter(kind="triage_overdue", channel="in_app")
    assert [(r.recipient, r.message) for r in rows] == [
        (lead, "2 requests for Payments wait for triage past the SLA.")
    ]
    tomorrow = timezone.now() + dt.timedelta(days=1)
    outbox.remind_triage_overdue(now=tomorrow)
    assert Notification.objects.filter(kind="triage_overdue", channel="in_app").count() == 2


def test_no_overdue_no_reminder(lead, target_domain):
    factories.DataRequestFactory(
        target_domain=target_domain, status=S.SUBMITTED, submitted_at=timezone.now()
    )
    assert outbox.remind_triage_overdue() == 0


@pytest.mark.parametrize(("days", "reminded"), [(14, True), (7, True), (1, True), (3, False)])
def test_deadline_reminders_go_out_14_7_and_1_days_before(requester, lead, days, reminded):
    today = timezone.localdate()
    cycle = factories.CycleFactory(
        starts_on=today + dt.timedelta(days=60), request_deadline=today + dt.timedelta(days=days)
    )
    factories.DataRequestFactory(requester=requester, needed_by_cycle=cycle, status=S.DRAFT)
    outbox.remind_deadlines(today=today)
    outbox.remind_deadlines(today=today)
    people = sorted(
        Notification.objects.filter(kind="deadline_approaching", channel="in_app").values_list(
            "recipient__username", flat=True
        )
    )
    assert people == (["lead", "pm"] if reminded else [])


def test_planning_digest_goes_to_leads_once_a_week(lead, target_domain):
    factories.DataRequestFactory(
        target_domain=target_domain, status=S.SUBMITTED, submitted_at=timezone.now()
    )
    outbox.send_planning_digest()
    outbox.send_planning_digest()
    [row] = Notification.objects.filter(kind="planning_digest", channel="in_app")
    assert row.recipient == lead
    assert "1 new, 1 untriaged, 0 overdue" in row.message


def _quarter(name, starts_on):
    return factories.CycleFactory(
        name=name,
        slug=name.lower(),
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=89),
        request_deadline=starts_on - dt.timedelta(days=45),
    )


def test_planning_digest_reports_capacity_for_every_open_cycle_with_planned_work(
    lead, target_domain
):
    from requests_app.models import DomainCycleCapacity

    today = timezone.localdate()
    _quarter("Past", today - dt.timedelta(days=200))
    current = _quarter("Now", today - dt.timedelta(days=10))
    next_ = _quarter("Next", today + dt.timedelta(days=80))
    _quarter("Later", today + dt.timedelta(days=170))  # nothing planned: not listed
    DomainCycleCapacity.objects.create(domain=target_domain, cycle=next_, capacity=8)
    for cycle, effort, status in [
        (current, 3, S.ACCEPTED),
        (current, 2, S.IN_PROGRESS),
        (current, 40, S.DECLINED),  # not planned work
        (next_, 5, S.ACCEPTED),
    ]:
        factories.DataRequestFactory(
            target_domain=target_domain, planned_cycle=cycle, effort=effort, status=status
        )
    assert outbox.send_planning_digest() == 2
    [row] = Notification.objects.filter(kind="planning_digest", channel="in_app")
    assert row.message.endswith("; Now: 5 of 20 points planned; Next: 5 of 8 points planned."), (
        row.message
    )


def test_planning_digest_between_cycles_reports_the_next_one_even_when_empty(lead):
    _quarter("Soon", timezone.localdate() + dt.timedelta(days=30))
    outbox.send_planning_digest()
    [row] = Notification.objects.filter(kind="planning_digest", channel="in_app")
    assert row.message.endswith("; Soon: 0 of 20 points planned.")


def test_planning_digest_query_count_does_not_grow_with_domains(
    django_assert_max_num_queries, lead
):
    def domains(n):
        for i in range(n):
            domain = factories.DomainFactory()
            domain.leads.add(factories.UserFactory(username=f"l{n}-{i}"))

    _quarter("Now", timezone.localdate() - dt.timedelta(days=10))
    domains(1)
    with django_assert_max_num_queries(100) as few:
        outbox.send_planning_digest(now=timezone.now())
    Notification.objects.all().delete()
    domains(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        outbox.send_planning_digest(now=timezone.now())


def test_run_periodic_runs_every_job(capsys, lead):
    call_command("run_periodic")
    out = capsys.readouterr().out
    for job in (
        "sweep_outbox",
        "remind_triage_overdue",
        "remind_deadlines",
        "send_planning_digest",
    ):
        assert job in out


def test_a_second_run_of_the_periodic_jobs_reports_nothing_new(capsys, requester, lead):
    today = timezone.localdate()
    cycle = factories.CycleFactory(
        starts_on=today + dt.timedelta(days=60), request_deadline=today + dt.timedelta(days=7)
    )
    factories.DataRequestFactory(requester=requester, needed_by_cycle=cycle, status=S.DRAFT)
    factories.DataRequestFactory(
        target_domain=lead.led_domains.get(),
        status=S.SUBMITTED,
        submitted_at=timezone.now() - dt.timedelta(days=30),
    )
    jobs = ("remind_triage_overdue", "remind_deadlines", "send_planning_digest")

    def counts():
        call_command("run_periodic")
        lines = capsys.readouterr().out.splitlines()
        return {
            job: int(line.split(": ")[1])
            for line in lines
            for job in jobs
            if line.startswith(f"{job}:")
        }

    first = counts()
    # in-app + email per person: the lead (overdue, deadline, digest) and the PM (deadline).
    assert first == {"remind_triage_overdue": 2, "remind_deadlines": 4, "send_planning_digest": 2}
    assert counts() == dict.fromkeys(jobs, 0)
