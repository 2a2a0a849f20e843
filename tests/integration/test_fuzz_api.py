"""Schemathesis against the live server's OpenAPI schema: every operation, authenticated as
staff (so every door is open), a bounded number of examples: no 5xx.

Responses must also match the schema they declare (nullable fields, error bodies).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.services.tokens import api_token_create
from requests_app.models import DataRequest
from tests import factories

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
SCHEMATHESIS = str(Path(sys.executable).parent / "schemathesis")


def test_no_operation_answers_5xx_or_breaks_its_schema(live_server, settings):
    settings.SECURE_SSL_REDIRECT = False
    staff = factories.UserFactory(username="fuzzer", is_staff=True, is_superuser=True)
    domain = factories.DomainFactory(slug="payments", name="Payments")
    domain.leads.add(staff)
    cycle = factories.CycleFactory()
    factories.DataProductFactory(domain=domain)
    factories.DataRequestFactory(
        requester=staff,
        target_domain=domain,
        needed_by_cycle=cycle,
        status=DataRequest.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    key = api_token_create(actor=staff, name="schemathesis")[1]
    result = subprocess.run(
        [
            SCHEMATHESIS,
            "run",
            f"{live_server.url}/api/schema/",
            "--url",
            f"{live_server.url}",
            "-H",
            f"Authorization: Token {key}",
            "--checks",
            "not_a_server_error,response_schema_conformance,status_code_conformance",
            "--phases",
            "examples,fuzzing",
            "-n",
            "12",
            "--seed",
            "20261125",
            "-w",
            "1",
            "--max-time",
            "150",
            "--request-timeout",
            "20",
            "--suppress-health-check",
            "all",
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=400,
    )
    Path("/tmp/schemathesis-last.txt").write_text(result.stdout + result.stderr)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
