"""End to end over real HTTP: GitHub closes the issue and posts its signed `issues` event to
the running app; the link is done and the domain's leads are told."""

from __future__ import annotations

import pytest
import requests
from django.core import mail

from notifications.models import Notification
from requests_app.models import WorkItemLink
from requests_app.workitems import services as links
from tests.requests_app import tracker_payloads as p

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_github_issue_closed_on_the_tracker_marks_the_link_done_and_tells_the_leads(
    live_server, settings, make_request, lead
):
    settings.GITHUB_WEBHOOK_SECRET = p.GITHUB_SECRET
    data_request = make_request("in_progress")
    link = links.link_create(
        data_request=data_request, url="https://github.com/acme/data/issues/12", actor=lead
    )
    body = p.encode(p.github_issues("closed", repo="acme/data"))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "GitHub-Hookshot/abc123",
        "X-GitHub-Event": "issues",
        "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
        "X-Hub-Signature-256": p.github_signature(body),
    }

    refused = requests.post(
        f"{live_server.url}/hooks/github/",
        data=body,
        headers={**headers, "X-Hub-Signature-256": ""},
        timeout=10,
    )
    assert refused.status_code == 401
    answer = requests.post(
        f"{live_server.url}/hooks/github/", data=body, headers=headers, timeout=10
    )

    assert answer.status_code == 200
    assert WorkItemLink.objects.get(pk=link.pk).state == "done"
    told = Notification.objects.filter(kind="work_item_done", recipient=lead)
    assert set(told.values_list("channel", flat=True)) == {"in_app", "email"}
    assert any(f"deliver {data_request.key}" in m.subject for m in mail.outbox)
