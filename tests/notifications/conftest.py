"""Fixtures for notification tests: a submitted request (the webhook sink is in tests/sinks.py)."""

from __future__ import annotations

import pytest

from requests_app import services
from tests import factories


@pytest.fixture
def cycle(db):
    return factories.CycleFactory()


@pytest.fixture
def filed(requester, lead, target_domain, cycle, django_capture_on_commit_callbacks):
    """A request submitted by `requester` to `lead`'s domain, its notifications delivered."""
    with django_capture_on_commit_callbacks(execute=True):
        return services.request_create(
            actor=requester,
            submit=True,
            title="Search clicks per listing",
            business_need="Rank listings",
            target_domain=target_domain,
            needed_by_cycle=cycle,
        )


@pytest.fixture
def smtp_sink(settings):
    """Django's real SMTP backend talking to a local SMTP server (tests/sinks.py)."""
    from tests.sinks import SmtpSink

    server = SmtpSink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield server
    server.close()
