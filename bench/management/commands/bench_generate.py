"""Generate a realistic, seeded data set for benchmarks, fast (COPY on PostgreSQL).

Shape: 60 domains (a few receive most requests: Zipf-like), 1,500 data products, 12 cycles,
N requests across every status with consistent timestamps, early/late flags and board ranks,
~5 events and ~1 comment per request, and in-app notifications.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from itertools import accumulate

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from tqdm import tqdm

SIZES = {"tiny": 2_000, "small": 20_000, "medium": 200_000, "large": 1_000_000}
AREAS = [
    "ads", "search", "messaging", "payments", "trust-safety", "recommendations", "real-estate",
    "jobs", "vehicles", "identity", "pricing", "logistics", "fraud", "growth", "seller-tools",
    "buyer-experience", "notifications", "experimentation", "finance", "customer-support",
]  # fmt: skip
STATUSES = [
    ("draft", 5), ("submitted", 10), ("triaged", 8), ("accepted", 15), ("in_progress", 7),
    ("delivered", 30), ("declined", 8), ("deferred", 7), ("duplicate", 4), ("withdrawn", 6),
]  # fmt: skip
PRODUCT_STATUSES = [("shared", 45), ("incubating", 20), ("product", 30), ("deprecated", 5)]
URGENCIES = ["low", "medium", "high", "critical"]
PLANNED = {"accepted", "in_progress", "delivered", "deferred"}
UTC = dt.UTC


class Writer:
    """Writes rows to a table: COPY on PostgreSQL, batched executemany elsewhere."""

    def __init__(self):
        self.pg = connection.vendor == "postgresql"

    def write(self, table: str, columns: list[str], rows) -> int:
        count = 0
        with connection.cursor() as cursor:
            if self.pg:
                cols = ", ".join(f'"{c}"' for c in columns)
                with cursor.cursor.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
            else:
                marks = ", ".join(["%s"] * len(columns))
                sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({marks})'
                batch = []
                for row in rows:
                    batch.append(row)
                    if len(batch) >= 5000:
                        cursor.executemany(sql, batch)
                        count += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    count += len(batch)
        return count

    def reset_sequences(self, tables: list[str]) -> None:
        if not self.pg:
            return
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))'
                )


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


class Command(BaseCommand):
    help = "Generate benchmark data: --requests N (or --size tiny|small|medium|large), seeded."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=None)
        parser.add_argument("--size", choices=sorted(SIZES), default="small")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **opts):
        from products.models import Domain

        n = opts["requests"] or SIZES[opts["size"]]
        if Domain.objects.exists():
            raise CommandError(
                "The database already has data; bench_generate fills an empty database "
                "(bench.run creates a dedicated one)."
            )
        rng = random.Random(opts["seed"])
        self.progress = not opts["no_progress"]
        self.w = Writer()
        with transaction.atomic():
            self._generate(rng, n)
        self.w.reset_sequences(
            [
                "auth_user",
                "products_domain",
                "products_dataproduct",
                "products_outputport",
                "requests_app_roadmapcycle",
                "requests_app_datarequest",
                "requests_app_requestevent",
                "requests_app_comment",
                "requests_app_notification",
                "requests_app_datarequest_watchers",
                "products_domain_leads",
                "products_domain_members",
            ]  # fmt: skip
        )
        if self.w.pg:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"Generated {n} requests."))

    def _bar(self, total, desc):
        return tqdm(total=total, desc=desc, disable=not self.progress, unit="rows", mininterval=0.5)

    def _generate(self, rng: random.Random, n: int) -> None:
        now = dt.datetime(2026, 11, 1, 12, tzinfo=UTC)
        password = make_password("bench-password")
        # Users: 2 leads and 4 members per domain, 400 product managers, 1 staff.
        users = []
        uid = 1
        domain_leads, domain_members, pms = defaultdict(list), defaultdict(list), []
        for d in range(60):
            for _ in range(2):
                users.append(uid)
                domain_leads[d + 1].append(uid)
                uid += 1
            for _ in range(4):
                users.append(uid)
                domain_members[d + 1].append(uid)
                uid += 1
        for _ in range(400):
            pms.append(uid)
            uid += 1
        staff_id = uid
        self.w.write(
            "auth_user",
            [
                "id",
                "password",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
            ],  # fmt: skip
            (
                (
                    i,
                    password,
                    i == staff_id,
                    f"bench{i}" if i != staff_id else "benchadmin",
                    "Bench",
                    f"User {i}",
                    f"bench{i}@example.com",
                    i == staff_id,
                    True,
                    now,
                )  # fmt: skip
                for i in range(1, staff_id + 1)
            ),
        )
        # Domains.
        self.w.write(
            "products_domain",
            [
                "id",
                "name",
                "slug",
                "description",
                "contact_email",
                "webhook_url",
                "webhook_secret",
                "default_capacity",
                "created_at",
            ],  # fmt: skip
            (
                (
                    d,
                    f"{AREAS[(d - 1) % 20].replace('-', ' ').title()} {(d - 1) // 20 + 1}",
                    f"{AREAS[(d - 1) % 20]}-{(d - 1) // 20 + 1}",
                    "A producing domain.",
                    f"team{d}@example.com",
                    "",
                    "",
                    rng.choice([20, 30, 40, 60]),
                    now,
                )  # fmt: skip
                for d in range(1, 61)
            ),
        )
        self.w.write(
            "products_domain_leads",
            ["domain_id", "user_id"],
            ((d, u) for d, us in domain_leads.items() for u in us),
        )
        self.w.write(
            "products_domain_members",
            ["domain_id", "user_id"],
            ((d, u) for d, us in domain_members.items() for u in us),
        )
        # Products: 25 per domain.
        products_by_domain = defaultdict(list)
        rows = []
        for p in range(1, 1501):
            d = (p - 1) // 25 + 1
            products_by_domain[d].append(p)
            status = _weighted(rng, PRODUCT_STATUSES)
            rows.append(
                (
                    p,
                    d,
                    f"Data product {p}",
                    f"product-{p}",
                    f"Events and facts about {AREAS[(d - 1) % 20]} number {p}.",
                    status,
                    rng.choice(["public", "internal", "confidential", "restricted"]),
                    rng.random() < 0.2,
                    "",
                    24 if status == "product" else None,
                    None,
                    "oncall@example.com" if status == "product" else "",
                    dt.date(2027, 6, 30) if status == "deprecated" else None,
                    now,
                    now,
                )  # fmt: skip
            )
        self.w.write(
            "products_dataproduct",
            [
                "id",
                "domain_id",
                "name",
                "slug",
                "description",
                "status",
                "classification",
                "contains_pii",
                "schema",
                "freshness_sla_hours",
                "availability_target",
                "support_contact",
                "sunset_on",
                "created_at",
                "updated_at",
            ],  # fmt: skip
            rows,
        )
        self.w.write(
            "products_outputport",
            ["id", "product_id", "kind", "location", "description"],
            ((p, p, "table", f"warehouse.d{(p - 1) // 25 + 1}.t{p}", "") for p in range(1, 1501)),
        )
        # Cycles: 2025-Q1 .. 2027-Q4.
        cycles = []
        for i in range(12):
            year, q = 2025 + i // 4, i % 4 + 1
            starts = dt.date(year, 3 * q - 2, 1)
            ends = (dt.date(year + (q == 4), (3 * q) % 12 + 1, 1)) - dt.timedelta(days=1)
            cycles.append((i + 1, f"{year}-Q{q}", f"{year}-q{q}", starts, ends,
                           starts - dt.timedelta(days=42), ends - dt.timedelta(days=7)))  # fmt: skip
        self.w.write(
            "requests_app_roadmapcycle",
            ["id", "name", "slug", "starts_on", "ends_on", "request_deadline", "review_on"],
            cycles,
        )
        # Requests, skewed: domain d receives weight 1/d^1.1.
        weights = list(accumulate(1 / (d**1.1) for d in range(1, 61)))
        next_rank: dict[tuple[int, int], int] = defaultdict(int)
        requests, events, comments, watchers, notifications = [], [], [], [], []
        bar = self._bar(n, "requests")
        eid = cid = nid = 0
        for r in range(1, n + 1):
            target = rng.choices(range(1, 61), cum_weights=weights)[0]
            requesting = rng.randrange(1, 61)
            if requesting == target:
                requesting = requesting % 60 + 1
            requester = rng.choice(pms)
            status = _weighted(rng, STATUSES)
            cycle = cycles[rng.randrange(12)]
            c_id, _, _, starts, _, deadline, _ = cycle
            created = dt.datetime.combine(
                deadline - dt.timedelta(days=rng.randint(-25, 90)), dt.time(10), tzinfo=UTC
            ) + dt.timedelta(minutes=rng.randrange(600))
            submitted = (
                created + dt.timedelta(hours=rng.randint(0, 48)) if status != "draft" else None
            )
            is_late = lead = None
            if submitted:
                is_late = submitted.date() > deadline
                lead = (starts - submitted.date()).days
            decided = status not in ("draft", "submitted", "withdrawn")
            triaged = submitted + dt.timedelta(days=rng.randint(0, 12)) if decided else None
            planned = c_id if status in PLANNED else None
            if status == "deferred":
                planned = min(c_id + 1, 12)
            effort = rng.randint(1, 13) if planned or status == "triaged" else None
            reach, impact, conf = (
                rng.randint(1, 500),
                rng.choice([0.25, 0.5, 1, 2, 3]),
                rng.choice([50, 80, 100]),
            )
            score = round(reach * impact * conf / 100 / effort, 3) if effort else None
            rank = None
            if status in ("accepted", "in_progress", "delivered"):
                next_rank[(target, planned)] += 1
                rank = next_rank[(target, planned)]
            delivered_product = (
                rng.choice(products_by_domain[target]) if status == "delivered" else None
            )
            requests.append(
                (
                    r,
                    f"Need {AREAS[(target - 1) % 20]} data for feature {r}",
                    "Daily rows with the fields listed below.",
                    "Enables the roadmap item.",
                    requester,
                    requesting,
                    target,
                    rng.choice(products_by_domain[target]) if rng.random() < 0.5 else None,
                    "",
                    c_id,
                    rng.choice(URGENCIES),
                    status,
                    planned,
                    effort,
                    reach,
                    impact,
                    conf,
                    score,
                    rank,
                    "Not this quarter." if status in ("declined", "deferred") else "",
                    None,
                    delivered_product,
                    is_late,
                    lead,
                    created,
                    created,
                    submitted,
                    triaged,
                    triaged if decided else None,
                    triaged + dt.timedelta(days=30) if status == "delivered" else None,
                    1,
                )  # fmt: skip
            )
            watchers.append((r, requester))
            steps = [("created", "", "draft", created, requester)]
            if submitted:
                steps.append(("submit", "draft", "submitted", submitted, requester))
            lead_id = domain_leads[target][0]
            if triaged:
                steps.append(("triage", "submitted", "triaged", triaged, lead_id))
                if status != "triaged":
                    steps.append(
                        (
                            {"in_progress": "accept", "delivered": "accept"}.get(status, status),
                            "triaged",
                            "accepted" if status in ("in_progress", "delivered") else status,
                            triaged + dt.timedelta(hours=2),
                            lead_id,
                        )  # fmt: skip
                    )
                if status in ("in_progress", "delivered"):
                    steps.append(
                        (
                            "start",
                            "accepted",
                            "in_progress",
                            triaged + dt.timedelta(days=3),
                            lead_id,
                        )
                    )
                if status == "delivered":
                    steps.append(
                        (
                            "deliver",
                            "in_progress",
                            "delivered",
                            triaged + dt.timedelta(days=30),
                            lead_id,
                        )
                    )
            elif status == "withdrawn":
                steps.append(
                    (
                        "withdraw",
                        "submitted",
                        "withdrawn",
                        created + dt.timedelta(days=3),
                        requester,
                    )
                )
            for kind, f, t, at, actor in steps:
                eid += 1
                events.append((eid, r, actor, kind, f, t, "{}", at))
            if rng.random() < 0.9:
                cid += 1
                comments.append(
                    (
                        cid,
                        r,
                        rng.choice([requester, lead_id]),
                        "Any update on this?",
                        created + dt.timedelta(days=1),
                    )
                )
            if submitted:
                nid += 1
                notifications.append(
                    (
                        nid,
                        lead_id,
                        target,
                        "submitted",
                        r,
                        None,
                        "in_app",
                        f"New request DR-{r}",
                        "{}",
                        f"bench:{r}:submitted:{lead_id}",
                        "sent",
                        1,
                        "",
                        submitted,
                        None,
                        submitted,
                        None if rng.random() < 0.5 else submitted,
                    )  # fmt: skip
                )
                if decided:
                    nid += 1
                    notifications.append(
                        (
                            nid,
                            requester,
                            None,
                            status,
                            r,
                            None,
                            "in_app",
                            f"DR-{r} was {status}",
                            "{}",
                            f"bench:{r}:{status}:{requester}",
                            "sent",
                            1,
                            "",
                            triaged,
                            None,
                            triaged,
                            None if rng.random() < 0.6 else triaged,
                        )  # fmt: skip
                    )
            if r % 5000 == 0 or r == n:
                self._flush(requests, events, comments, watchers, notifications)
                bar.update(len(requests) if r == n and r % 5000 else 5000 if r % 5000 == 0 else 0)
                requests, events, comments, watchers, notifications = [], [], [], [], []
        bar.close()
        # A capacity row per (domain, cycle) that has a board, so reorders have a version to lock.
        self.w.write(
            "requests_app_domaincyclecapacity",
            ["domain_id", "cycle_id", "capacity", "board_version"],
            ((d, c, None, 1) for (d, c) in sorted(next_rank)),
        )

    def _flush(self, requests, events, comments, watchers, notifications) -> None:
        self.w.write(
            "requests_app_datarequest",
            [
                "id",
                "title",
                "description",
                "business_need",
                "requester_id",
                "requesting_domain_id",
                "target_domain_id",
                "data_product_id",
                "proposed_product_name",
                "needed_by_cycle_id",
                "urgency",
                "status",
                "planned_cycle_id",
                "effort",
                "reach",
                "impact",
                "confidence",
                "score",
                "rank",
                "decision_reason",
                "duplicate_of_id",
                "delivered_product_id",
                "is_late",
                "lead_time_days",
                "created_at",
                "updated_at",
                "submitted_at",
                "triaged_at",
                "decided_at",
                "delivered_at",
                "version",
            ],  # fmt: skip
            requests,
        )
        self.w.write(
            "requests_app_requestevent",
            ["id", "request_id", "actor_id", "kind", "from_status", "to_status", "data", "at"],
            events,
        )
        self.w.write(
            "requests_app_comment",
            ["id", "request_id", "author_id", "body", "created_at"],
            comments,
        )
        self.w.write("requests_app_datarequest_watchers", ["datarequest_id", "user_id"], watchers)
        self.w.write(
            "requests_app_notification",
            [
                "id",
                "recipient_id",
                "domain_id",
                "kind",
                "request_id",
                "cycle_id",
                "channel",
                "message",
                "payload",
                "dedupe_key",
                "status",
                "attempts",
                "last_error",
                "created_at",
                "next_attempt_at",
                "sent_at",
                "read_at",
            ],  # fmt: skip
            notifications,
        )
