"""Inbound payloads in the documented shapes the trackers send (trimmed to the fields they
always carry), and the signatures each tracker computes."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

GITHUB_SECRET = "gh-hook-secret"
JIRA_SECRET = "jira-hook-secret"
LINEAR_SECRET = "lin-hook-secret"


def github_issues(action: str, number: int = 12, repo: str = "Acme/Data", **issue) -> dict:
    """GitHub's `issues` webhook event (X-GitHub-Event: issues)."""
    owner = repo.split("/")[0]
    return {
        "action": action,
        "issue": {
            "url": f"https://api.github.com/repos/{repo}/issues/{number}",
            "html_url": f"https://github.com/{repo}/issues/{number}",
            "id": 1_000_000 + number,
            "number": number,
            "title": "Publish search clicks",
            "state": "closed" if action == "closed" else "open",
            "state_reason": "completed" if action == "closed" else None,
            "user": {"login": "octocat", "id": 1},
            **issue,
        },
        "repository": {
            "id": 42,
            "name": repo.split("/")[1],
            "full_name": repo,
            "owner": {"login": owner},
        },
        "sender": {"login": "octocat", "id": 1},
    }


def github_signature(body: bytes, secret: str = GITHUB_SECRET) -> str:
    """X-Hub-Signature-256: ``sha256=`` + hex HMAC-SHA256 of the raw body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def jira_issue_updated(key: str = "DATA-7", category: str = "done", name: str = "Done") -> dict:
    """Jira's `jira:issue_updated` webhook event."""
    return {
        "timestamp": int(time.time() * 1000),
        "webhookEvent": "jira:issue_updated",
        "issue_event_type_name": "issue_generic",
        "user": {"accountId": "5b10a2844c20165700ede21g", "displayName": "Jo"},
        "issue": {
            "id": "10007",
            "self": "https://acme.atlassian.net/rest/api/2/issue/10007",
            "key": key,
            "fields": {
                "summary": "Publish search clicks",
                "status": {
                    "name": name,
                    "id": "10002",
                    "statusCategory": {"id": 3, "key": category, "name": name},
                },
            },
        },
        "changelog": {
            "id": "10100",
            "items": [{"field": "status", "fromString": "In Progress", "toString": name}],
        },
    }


def linear_issue(identifier: str = "ENG-3", state_type: str = "completed", **extra) -> dict:
    """Linear's `Issue` data-change webhook (action `update`)."""
    return {
        "action": "update",
        "type": "Issue",
        "createdAt": "2026-11-30T05:00:00.000Z",
        "organizationId": "org-1",
        "url": f"https://linear.app/acme/issue/{identifier.lower()}/publish-search-clicks",
        "data": {
            "id": "2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9",
            "identifier": identifier,
            "title": "Publish search clicks",
            "state": {"id": "s1", "name": "Done", "type": state_type, "color": "#5e6ad2"},
        },
        "updatedFrom": {"stateId": "s0"},
        "webhookTimestamp": int(time.time() * 1000),
        **extra,
    }


def linear_signature(body: bytes, secret: str = LINEAR_SECRET) -> str:
    """Linear-Signature: hex HMAC-SHA256 of the raw body."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def encode(payload: dict) -> bytes:
    return json.dumps(payload).encode()
