"""Inbound tracker webhooks: GitHub (X-Hub-Signature-256), Jira (a shared secret in the URL or
the Authorization header) and Linear (Linear-Signature). Each call is verified with its own
secret from the environment before anything is read: unsigned or badly signed → 401, nothing
changes. A verified event about an issue no request links is ignored with 202."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from requests_app.models import WorkItemLink
from requests_app.workitems import services
from requests_app.workitems.parsing import github_key

K, S = WorkItemLink.Kind, WorkItemLink.State
MAX_BODY = 1_000_000  # trackers send a few kilobytes; refuse anything near a megabyte
LINEAR_MAX_AGE_MS = 5 * 60 * 1000  # Linear's webhookTimestamp: refuse replays older than this
JIRA_CATEGORIES = {"new": S.OPEN, "indeterminate": S.IN_PROGRESS, "done": S.DONE}
LINEAR_STATES = {
    "triage": S.OPEN,
    "backlog": S.OPEN,
    "unstarted": S.OPEN,
    "started": S.IN_PROGRESS,
    "completed": S.DONE,
}


def _hmac_hex(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _refused(why: str) -> JsonResponse:
    return JsonResponse({"detail": why, "code": "not_authenticated"}, status=401)


def _ignored(why: str) -> JsonResponse:
    return JsonResponse({"detail": why, "code": "ignored"}, status=202)


def _apply(kind: str, key: str | None, state: str | None, source: str) -> JsonResponse:
    if not key or not state:
        return _ignored(f"Nothing to record from this {source} event.")
    if not WorkItemLink.objects.filter(kind=kind, external_key=key).exists():
        return _ignored(f"No request links {key}.")
    updated = services.links_set_state(kind=kind, key=key, state=state, source=source)
    return JsonResponse({"key": key, "state": state, "updated": updated})


def _body(request: HttpRequest) -> bytes | None:
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    return None if length > MAX_BODY else request.body


def _json(body: bytes) -> dict | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _bad_json() -> JsonResponse:
    return JsonResponse({"detail": "The body is not a JSON object.", "code": "invalid"}, status=400)


def _too_big() -> JsonResponse:
    return JsonResponse({"detail": "The body is over 1 MB.", "code": "too_large"}, status=413)


@csrf_exempt
@require_POST
def github_hook(request: HttpRequest) -> JsonResponse:
    """GitHub `issues` (and `pull_request`) events: opened/reopened → open, closed → done
    (a pull request only when merged; an issue closed as not planned is ignored)."""
    secret = settings.GITHUB_WEBHOOK_SECRET
    body = _body(request)
    if body is None:
        return _too_big()
    given = request.headers.get("X-Hub-Signature-256", "")
    if not secret or not hmac.compare_digest(given, "sha256=" + _hmac_hex(secret, body)):
        return _refused("Missing or wrong X-Hub-Signature-256.")
    event = request.headers.get("X-GitHub-Event", "")
    if event == "ping":
        return JsonResponse({"detail": "pong"})
    data = _json(body)
    if data is None:
        return _bad_json()
    item = data.get("issue") if event == "issues" else data.get("pull_request")
    repo = (data.get("repository") or {}).get("full_name")
    if event not in ("issues", "pull_request") or not isinstance(item, dict) or not repo:
        return _ignored(f"GitHub event {event!r} does not concern work items.")
    action, state = data.get("action"), None
    if action in ("opened", "reopened"):
        state = S.OPEN
    elif action == "closed":
        merged = item.get("merged") if event == "pull_request" else True
        if merged and item.get("state_reason") != "not_planned":
            state = S.DONE
    return _apply(K.GITHUB, github_key(repo, item.get("number")), state, "github")


@csrf_exempt
@require_POST
def jira_hook(request: HttpRequest) -> JsonResponse:
    """Jira `jira:issue_created` / `jira:issue_updated`: the status category gives the state
    (To Do → open, In Progress → in progress, Done → done). Jira webhooks carry no signature
    by default, so the shared secret rides in the URL (``?secret=``) or a Bearer header."""
    secret = settings.JIRA_WEBHOOK_SECRET
    body = _body(request)
    if body is None:
        return _too_big()
    given = request.GET.get("secret", "")
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        given = auth.removeprefix("Bearer ").strip()
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return _refused("Missing or wrong shared secret.")
    data = _json(body)
    if data is None:
        return _bad_json()
    if data.get("webhookEvent") not in ("jira:issue_created", "jira:issue_updated"):
        return _ignored(f"Jira event {data.get('webhookEvent')!r} does not concern work items.")
    issue = data.get("issue") or {}
    status = ((issue.get("fields") or {}).get("status") or {}).get("statusCategory") or {}
    return _apply(K.JIRA, issue.get("key"), JIRA_CATEGORIES.get(status.get("key")), "jira")


@csrf_exempt
@require_POST
def linear_hook(request: HttpRequest) -> JsonResponse:
    """Linear `Issue` webhooks: the workflow state's type gives the state (started → in
    progress, completed → done; canceled is ignored). Deliveries older than five minutes
    (``webhookTimestamp``) are refused as replays."""
    secret = settings.LINEAR_WEBHOOK_SECRET
    body = _body(request)
    if body is None:
        return _too_big()
    given = request.headers.get("Linear-Signature", "")
    if not secret or not hmac.compare_digest(given, _hmac_hex(secret, body)):
        return _refused("Missing or wrong Linear-Signature.")
    data = _json(body)
    if data is None:
        return _bad_json()
    sent_at = data.get("webhookTimestamp")
    if isinstance(sent_at, int) and abs(time.time() * 1000 - sent_at) > LINEAR_MAX_AGE_MS:
        return _refused("webhookTimestamp is more than five minutes away: a replay?")
    if data.get("type") != "Issue" or data.get("action") not in ("create", "update"):
        return _ignored(f"Linear {data.get('type')!r} events do not concern work items.")
    issue = data.get("data") or {}
    key = str(issue.get("identifier") or "").upper() or None
    state = LINEAR_STATES.get((issue.get("state") or {}).get("type"))
    return _apply(K.LINEAR, key, state, "linear")
