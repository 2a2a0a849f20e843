"""scim2-tester, the SCIM 2.0 compliance checker, against the live SCIM endpoint: no failure on
anything Upstream declares it supports."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)
SCIM_TOKEN = "scim-test-token-not-a-secret"  # noqa: S105 - test value


def test_scim2_tester_finds_no_failure(live_server, settings):
    httpx2 = pytest.importorskip("httpx2")
    from scim2_client.engines.httpx2 import SyncSCIMClient
    from scim2_tester import Status, check_server

    settings.SCIM_TOKEN = SCIM_TOKEN
    http = httpx2.Client(
        base_url=f"{live_server.url}/scim/v2",
        headers={"Authorization": f"Bearer {SCIM_TOKEN}"},
        timeout=30,
    )
    results = check_server(SyncSCIMClient(http))
    failures = [
        f"{r.title}: {r.reason}" for r in results if r.status in (Status.ERROR, Status.CRITICAL)
    ]
    assert results
    assert not failures, "\n".join(failures)
    assert sum(r.status == Status.SUCCESS for r in results) >= 10
