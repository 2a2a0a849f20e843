"""`seed_demo` builds a believable marketplace through the services, and only once."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from products.models import DataProduct, Domain, OutputPort
from requests_app.models import DataRequest, RequestEvent

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for app in ("auth", "products", "requests_app")
        for model in apps.get_app_config(app).get_models()
    }


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seeding_twice_creates_nothing_the_second_time():
    seed()
    first = counts()
    output = seed()
    assert counts() == first
    assert "nothing new" in output


def test_the_demo_covers_every_domain_status_and_port_kind():
    output = seed()
    assert Domain.objects.count() == 9
    assert DataProduct.objects.count() >= 25
    assert set(DataProduct.objects.values_list("status", flat=True)) == set(
        DataProduct.Status.values
    )
    assert set(OutputPort.objects.values_list("kind", flat=True)) == set(OutputPort.Kind.values)
    assert DataRequest.objects.count() >= 30
    assert set(DataRequest.objects.values_list("status", flat=True)) == set(
        DataRequest.Status.values
    )
    assert set(DataRequest.objects.exclude(is_late=None).values_list("is_late", flat=True)) == {
        True,
        False,
    }
    assert not DataRequest.objects.exclude(pk__in=RequestEvent.objects.values("request")).exists()
    assert "upstream-demo" in output


def test_the_demo_accounts_sign_in_with_the_demo_password(client):
    seed()
    for username in ("pm", "lead", "member", "admin"):
        assert client.login(username=username, password="upstream-demo"), username
    from django.contrib.auth.models import User

    assert User.objects.get(username="admin").is_superuser
    assert Domain.objects.get(slug="payments").leads.filter(username="lead").exists()
    assert Domain.objects.get(slug="search").members.filter(username="pm").exists()


def test_the_demo_lead_has_work_waiting_and_the_demo_pm_has_requests(client):
    seed()
    client.login(username="lead", password="upstream-demo")
    html = client.get("/domains/payments/triage/").content.decode()
    assert "Salted card fingerprints" in html
    payments = DataRequest.objects.filter(target_domain__slug="payments")
    assert payments.filter(status="submitted").count() >= 2
    assert payments.filter(status="triaged").exists()
    assert DataRequest.objects.filter(requester__username="pm", status="submitted").exists()


def test_the_demo_has_requests_needed_by_one_to_four_teams():
    seed()
    open_demand = set(DataRequest.objects.exclude(status="draft").values_list("demand", flat=True))
    assert {1, 2, 3, 4} <= open_demand
    # unmet demand for the review: a deferred request that another team needs too
    assert DataRequest.objects.filter(status="deferred", demand__gte=2).exists()


def test_the_seed_says_one_summary_line_and_ends_with_the_demo_accounts(capsys, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    output = seed()
    printed = capsys.readouterr().out  # the console email backend would print here
    lines = output.strip().splitlines()
    assert lines[0].startswith("Demo data ready (")
    assert "notification emails" in lines[0]
    assert "Subject:" not in printed + output
    assert len(lines) < 30
    assert lines[-1].strip().startswith("zoe")
