"""A bounded load test on loopback: many users reading, filing and deciding at once.

Drives a running Upstream (``--base-url``) with ``--users`` threads for ``--seconds``: product
managers file and submit requests, leads list their incoming requests, triage and accept or
decline them, everyone reads the catalog and their inbox. Afterwards it checks, in the database,
that every request a client saw created exists with its audit trail, and that the outbox drained:
every notification is sent (none pending or failed). Exit status 1 on any error.

`make loadtest` runs it for 60 s against gunicorn + a Celery worker; the test suite runs a short
version against the live test server.
"""

from __future__ import annotations

import argparse
import json
import random
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Tally:
    """What the clients saw, shared by all threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    calls: Counter = field(default_factory=Counter)
    errors: list = field(default_factory=list)
    created: set = field(default_factory=set)
    expected_conflicts: int = 0

    def record(self, name: str, status: int) -> None:
        with self.lock:
            self.calls[f"{name} {status}"] += 1


class Client:
    def __init__(self, base_url: str, token: str, tally: Tally):
        self.base, self.token, self.tally = base_url.rstrip("/"), token, tally

    def call(self, name: str, method: str, path: str, body: dict | None = None, ok=(200, 201)):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            self.base + path,
            data=data,
            method=method,
            headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, payload = exc.code, exc.read()
        except OSError as exc:
            with self.tally.lock:
                self.tally.errors.append(f"{name}: {exc}")
            return None, None
        self.tally.record(name, status)
        if status >= 500 or (status not in ok and status not in (400, 409)):
            with self.tally.lock:
                self.tally.errors.append(f"{name} {method} {path} → {status}: {payload[:200]!r}")
        elif status in (400, 409) and status not in ok:
            # Two leads acting on the same request: the loser is told, nothing breaks.
            with self.tally.lock:
                self.tally.expected_conflicts += 1
        try:
            return status, json.loads(payload) if payload else None
        except ValueError:
            return status, None


def pm_loop(client: Client, world: dict, stop: threading.Event, rng: random.Random) -> None:
    while not stop.is_set():
        domain = rng.choice(world["domains"])
        status, body = client.call(
            "file",
            "POST",
            "/api/v1/requests/",
            {
                "title": f"Load test need {rng.randrange(10**9)}",
                "description": "Rows per day.",
                "business_need": "Feature X needs it.",
                "target_domain": domain,
                "needed_by_cycle": world["cycle"],
                "urgency": rng.choice(["low", "medium", "high", "critical"]),
                "submit": True,
            },
        )
        if status == 201 and body:
            with client.tally.lock:
                client.tally.created.add(body["id"])
        client.call("my requests", "GET", "/api/v1/requests/?requester=me")
        client.call("catalog", "GET", f"/api/v1/data-products/?domain={domain}")
        client.call("inbox", "GET", "/api/v1/notifications/")


def lead_loop(client: Client, world: dict, stop: threading.Event, rng: random.Random) -> None:
    domain = world["lead_domains"][client.token]
    while not stop.is_set():
        status, body = client.call(
            "incoming", "GET", f"/api/v1/requests/?target_domain={domain}&status=submitted"
        )
        for item in (body or {}).get("results", [])[:3]:
            action = rng.choice(["triage", "accept", "decline"])
            payload = {
                "accept": {"planned_cycle": world["cycle"], "effort": rng.randint(1, 8)},
                "decline": {"reason": "Not in our scope this quarter."},
                "triage": {},
            }[action]
            client.call(action, "POST", f"/api/v1/requests/{item['id']}/{action}/", payload)
        client.call("inbox", "GET", "/api/v1/notifications/")
        time.sleep(0.05)


def run(base_url: str, world: dict, users: int, seconds: float, seed: int = 7) -> Tally:
    """Run the mixed workload; ``world`` holds tokens, domain slugs and the cycle slug."""
    tally = Tally()
    stop = threading.Event()
    threads = []
    rng = random.Random(seed)
    leads = list(world["lead_domains"])
    for i in range(users):
        is_lead = i % 3 == 0
        token = leads[i // 3 % len(leads)] if is_lead else rng.choice(world["pm_tokens"])
        client = Client(base_url, token, tally)
        target = lead_loop if is_lead else pm_loop
        threads.append(
            threading.Thread(
                target=target, args=(client, world, stop, random.Random(seed + i)), daemon=True
            )
        )
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join(60)
    return tally


def verify(tally: Tally, drain_seconds: float = 60) -> list[str]:
    """Check the database: every created request exists with events; the outbox drained."""
    from requests_app.models import DataRequest, Notification, RequestEvent

    problems = list(tally.errors)
    found = set(DataRequest.objects.filter(pk__in=tally.created).values_list("pk", flat=True))
    if missing := tally.created - found:
        problems.append(f"{len(missing)} requests the clients saw created are missing")
    submitted = set(
        RequestEvent.objects.filter(request_id__in=tally.created, kind="submit").values_list(
            "request_id", flat=True
        )
    )
    if lost := tally.created - submitted:
        problems.append(f"{len(lost)} created requests have no submit event")
    deadline = time.monotonic() + drain_seconds
    while Notification.objects.filter(status="pending").exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    open_rows = Notification.objects.filter(status__in=["pending", "failed"]).count()
    if open_rows:
        problems.append(f"{open_rows} notifications not delivered (pending or failed)")
    notified = set(
        Notification.objects.filter(request_id__in=tally.created, kind="submitted").values_list(
            "request_id", flat=True
        )
    )
    if unannounced := submitted - notified:
        problems.append(f"{len(unannounced)} submitted requests produced no notification")
    return problems


def prepare_world(users: int) -> dict:
    """Create (idempotently) load-test users, domains with leads, and an open cycle."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from products.models import Domain
    from requests_app.models import RoadmapCycle

    User = get_user_model()
    today = timezone.localdate()
    cycle, _ = RoadmapCycle.objects.get_or_create(
        slug="load-cycle",
        defaults={
            "name": "Load cycle",
            "starts_on": today + dt.timedelta(days=90),
            "ends_on": today + dt.timedelta(days=180),
            "request_deadline": today + dt.timedelta(days=30),
        },
    )
    world = {"cycle": cycle.slug, "domains": [], "lead_domains": {}, "pm_tokens": []}
    for i in range(4):
        domain, _ = Domain.objects.get_or_create(
            slug=f"load-domain-{i}", defaults={"name": f"Load domain {i}"}
        )
        lead, _ = User.objects.get_or_create(username=f"load-lead-{i}")
        domain.leads.add(lead)
        world["domains"].append(domain.slug)
        world["lead_domains"][Token.objects.get_or_create(user=lead)[0].key] = domain.slug
    for i in range(max(2, users)):
        pm, _ = User.objects.get_or_create(username=f"load-pm-{i}")
        world["pm_tokens"].append(Token.objects.get_or_create(user=pm)[0].key)
    return world


def main() -> None:
    import os

    import django

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=24)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    world = prepare_world(args.users)
    tally = run(args.base_url, world, args.users, args.seconds)
    problems = verify(tally)
    print(json.dumps({"calls": dict(tally.calls), "created": len(tally.created),
                      "expected_conflicts": tally.expected_conflicts, "problems": problems},
                     indent=2))  # fmt: skip
    raise SystemExit(1 if problems else 0)


if __name__ == "__main__":
    main()
