"""A bounded load test on loopback: many users reading, filing and deciding at once.

Drives a running Upstream (``--base-url``) with ``--users`` threads for ``--seconds``: product
managers file and submit requests, leads list their incoming requests, triage and accept or
decline them, everyone reads the catalog and their inbox. Zero errors means: every filing answers
201, every read 200, and a transition answers 200, or 400/409 only when two leads race for the same
request (the loser is told, nothing breaks); anything else, a 5xx or a lost connection is an error.

Afterwards `verify` checks the database: the cycle holds exactly the requests the clients saw
created, each with its submit event and the lead's notification; every transition a client saw
succeed is recorded once and told its requester once per channel (no more transitions than that);
the outbox drained: every immediate notification is sent, none failed (digest emails wait for the
digest, as they should). Exit status 1 on any problem.

`make loadtest` (scripts/loadtest.sh) runs it for 60 s against gunicorn and a Celery worker on
PostgreSQL and Redis; `tests/integration/test_loadtest.py` runs a short version in CI against the
live test server and a real worker.
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

LOAD_CYCLE = "load-cycle"
DECISIONS = {"triage": "triaged", "accept": "accepted", "decline": "declined"}


@dataclass
class Tally:
    """What the clients saw, shared by all threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    calls: Counter = field(default_factory=Counter)
    errors: list = field(default_factory=list)
    created: set = field(default_factory=set)
    transitions: list = field(default_factory=list)  # (request id, action) that answered 200
    lost_races: int = 0

    def record(self, name: str, status: int) -> None:
        with self.lock:
            self.calls[f"{name} {status}"] += 1

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


class Client:
    """One user's HTTP client (token auth), recording every answer in the shared tally."""

    def __init__(self, base_url: str, token: str, tally: Tally):
        self.base, self.token, self.tally = base_url.rstrip("/"), token, tally

    def call(
        self,
        name: str,
        method: str,
        path: str,
        body: dict | None = None,
        ok: tuple[int, ...] = (200,),
        racing: bool = False,
    ):
        """Make one call. A status outside ``ok`` is an error, except 400/409 on a ``racing``
        call (a transition another lead may have taken first)."""
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
            self.tally.error(f"{name} {method} {path}: {exc}")
            return None, None
        self.tally.record(name, status)
        if status not in ok:
            if racing and status in (400, 409):
                with self.tally.lock:
                    self.tally.lost_races += 1
            else:
                self.tally.error(f"{name} {method} {path} → {status}: {payload[:200]!r}")
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
            ok=(201,),
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
        _status, body = client.call(
            "incoming", "GET", f"/api/v1/requests/?target_domain={domain}&status=submitted"
        )
        for item in (body or {}).get("results", [])[:3]:
            action = rng.choice(list(DECISIONS))
            payload = {
                "accept": {"planned_cycle": world["cycle"], "effort": rng.randint(1, 8)},
                "decline": {"reason": "Not in our scope this quarter."},
                "triage": {},
            }[action]
            status, _ = client.call(
                action, "POST", f"/api/v1/requests/{item['id']}/{action}/", payload, racing=True
            )
            if status == 200:
                with client.tally.lock:
                    client.tally.transitions.append((item["id"], action))
        client.call("inbox", "GET", "/api/v1/notifications/")
        time.sleep(0.05)


def run(base_url: str, world: dict, users: int, seconds: float, seed: int = 7) -> Tally:
    """Run the mixed workload; ``world`` holds tokens, domain slugs and the cycle slug.

    Every third user is a lead; two lead threads may share a lead's token (and so race)."""
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
        if t.is_alive():
            tally.error(f"{t.name} did not stop within 60 s")
    return tally


def verify(tally: Tally, world: dict, drain_seconds: float = 60) -> list[str]:
    """Check the database against what the clients saw; a list of problems (empty: all good)."""
    from django.db.models import Count

    from notifications.models import Notification
    from notifications.preferences import USER_CHANNELS
    from requests_app.models import DataRequest, RequestEvent

    problems = list(tally.errors)
    created = tally.created
    in_cycle = DataRequest.objects.filter(needed_by_cycle__slug=world["cycle"]).count()
    if in_cycle - world["requests_before"] != len(created):
        problems.append(
            f"the cycle gained {in_cycle - world['requests_before']} requests; "
            f"the clients saw {len(created)} created"
        )
    events = RequestEvent.objects.filter(request_id__in=created)
    submitted = set(events.filter(kind="submit").values_list("request_id", flat=True))
    if lost := created - submitted:
        problems.append(f"{len(lost)} created requests have no submit event")
    told_lead = set(
        Notification.objects.filter(
            request_id__in=created, kind="submitted", channel="in_app"
        ).values_list("request_id", flat=True)
    )
    if unannounced := submitted - told_lead:
        problems.append(f"{len(unannounced)} submitted requests told no lead")

    # Every transition the clients saw: recorded once, and its requester told once per channel.
    seen = Counter(tally.transitions)
    recorded = Counter(
        events.filter(kind__in=DECISIONS).values_list("request_id", "kind").iterator()
    )
    if seen != recorded:
        problems.append(
            f"transitions seen by clients ({sum(seen.values())}) and recorded "
            f"({sum(recorded.values())}) differ: {list((seen - recorded) + (recorded - seen))[:5]}"
        )
    told = Counter(
        Notification.objects.filter(request_id__in=created, kind__in=DECISIONS.values())
        .values_list("request_id", "kind", "recipient_id", "channel")
        .iterator()
    )
    requesters = dict(DataRequest.objects.filter(pk__in=created).values_list("pk", "requester_id"))
    expected = Counter(
        (request_id, DECISIONS[action], requesters[request_id], channel)
        for (request_id, action) in tally.transitions
        for channel in USER_CHANNELS
    )
    if told != expected:
        problems.append(
            f"decision notifications: {sum(told.values())} stored, {sum(expected.values())} "
            f"expected (one per transition, recipient and channel): "
            f"{list((expected - told) + (told - expected))[:5]}"
        )

    # The outbox drains: immediate rows sent (digest rows wait for their digest), none failed.
    rows = Notification.objects.filter(request_id__in=created)
    deadline = time.monotonic() + drain_seconds
    while rows.filter(status="pending", digest="").exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    by_status = dict(
        rows.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    undelivered = rows.filter(status="pending", digest="").count()
    failed = rows.filter(status__in=["failed", "skipped"]).count()
    if undelivered or failed:
        problems.append(
            f"outbox not drained after {drain_seconds:.0f} s: {undelivered} immediate rows "
            f"pending, {failed} failed or skipped (by status: {by_status})"
        )
    return problems


def prepare_world(users: int) -> dict:
    """Create (idempotently) load-test users with email addresses, domains with leads, an open
    cycle; remember how many requests the cycle held before the run."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from accounts.services.tokens import api_token_create
    from products.models import Domain
    from requests_app.models import DataRequest, RoadmapCycle

    User = get_user_model()
    today = timezone.localdate()
    cycle, _ = RoadmapCycle.objects.get_or_create(
        slug=LOAD_CYCLE,
        defaults={
            "name": "Load cycle",
            "starts_on": today + dt.timedelta(days=90),
            "ends_on": today + dt.timedelta(days=180),
            "request_deadline": today + dt.timedelta(days=30),
        },
    )
    world = {
        "cycle": cycle.slug,
        "domains": [],
        "lead_domains": {},
        "pm_tokens": [],
        "requests_before": DataRequest.objects.filter(needed_by_cycle=cycle).count(),
    }

    def user(username: str):
        return User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@load.example"}
        )[0]

    for i in range(4):
        domain, _ = Domain.objects.get_or_create(
            slug=f"load-domain-{i}", defaults={"name": f"Load domain {i}"}
        )
        lead = user(f"load-lead-{i}")
        domain.leads.add(lead)
        world["domains"].append(domain.slug)
        world["lead_domains"][api_token_create(actor=lead, name="load test")[1]] = domain.slug
    for i in range(max(2, users)):
        world["pm_tokens"].append(api_token_create(actor=user(f"load-pm-{i}"), name="load test")[1])
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
    problems = verify(tally, world)
    print(json.dumps({"calls": dict(tally.calls), "created": len(tally.created),
                      "transitions": len(tally.transitions), "lost_races": tally.lost_races,
                      "problems": problems}, indent=2))  # fmt: skip
    raise SystemExit(1 if problems else 0)


if __name__ == "__main__":
    main()
