"""Generate a realistic, seeded data set for benchmarks, fast (COPY on PostgreSQL).

Shape: 60 domains (a few receive most requests: Zipf-like), 1,500 data products, 12 cycles
(2025-Q1 to 2027-Q4, "now" is 1 Nov 2026), N requests across every status — mostly closed in
past cycles, open in future ones — with the audit trail the services would have written (~5
events per request), ~1 comment per request, board ranks dense per board, early/late and lead
time computed as `request_submit` does, and the notifications the outbox would hold (in-app and
email, each event's audience as in `notifications.recipients`).

The data is written as rows, not through the services (that would take hours at 1M); the test
`tests/bench/test_generate.py` checks that the rows agree with the product's rules.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal
from itertools import accumulate

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from bench.writer import Table, Writer
from notifications.recipients import DECISIONS
from requests_app.scoring import rice_score

# Bump when the shape of the generated data changes: bench.run regenerates its databases.
GENERATOR_VERSION = 4
SIZES = {"tiny": 2_000, "small": 20_000, "medium": 200_000, "large": 1_000_000}
NOW = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)
AREAS = [
    "ads", "search", "messaging", "payments", "trust-safety", "recommendations", "real-estate",
    "jobs", "vehicles", "identity", "pricing", "logistics", "fraud", "growth", "seller-tools",
    "buyer-experience", "notifications", "experimentation", "finance", "customer-support",
]  # fmt: skip
DOMAINS, PRODUCTS_PER_DOMAIN, CYCLES, PMS = 60, 25, 12, 400
# Status mix by where the needed-by cycle stands on NOW: past cycles are mostly closed.
STATUS_WEIGHTS = {
    "past": {"draft": 2, "submitted": 3, "triaged": 3, "accepted": 4, "in_progress": 5,
             "delivered": 45, "declined": 12, "deferred": 9, "duplicate": 7, "withdrawn": 10},
    "current": {"draft": 4, "submitted": 8, "triaged": 8, "accepted": 20, "in_progress": 25,
                "delivered": 15, "declined": 8, "deferred": 5, "duplicate": 3, "withdrawn": 4},
    "future": {"draft": 15, "submitted": 25, "triaged": 15, "accepted": 20, "in_progress": 2,
               "delivered": 0, "declined": 8, "deferred": 7, "duplicate": 4, "withdrawn": 4},
}  # fmt: skip
PRODUCT_STATUSES = {"shared": 45, "incubating": 20, "product": 30, "deprecated": 5}
URGENCIES = ["low", "medium", "high", "critical"]
IMPACTS = [Decimal("0.25"), Decimal("0.5"), Decimal("1"), Decimal("2"), Decimal("3")]
BOARD = {"triaged", "accepted", "in_progress", "delivered"}  # board.selectors.BOARD_STATES
COMMITTED = {"accepted", "in_progress", "delivered"}
# The action that ends in each decided status (from triaged), and the kind its audience hears.
DECISION = {
    "accepted": "accept",
    "in_progress": "accept",
    "delivered": "accept",
    "declined": "decline",
    "deferred": "defer",
    "duplicate": "mark_duplicate",
}
# The notification kind each decision is heard as (the outbox's own table).
HEARD_AS = DECISIONS
FLUSH_EVERY = 5_000
H, D = dt.timedelta(hours=1), dt.timedelta(days=1)


def _weighted(rng: random.Random, weights: dict[str, int]):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _next_digest(at: dt.datetime) -> dt.datetime:
    """The daily digest goes out at 07:00 the next morning."""
    return dt.datetime.combine(at.date() + D, dt.time(7), tzinfo=dt.UTC)


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
        self.progress = not opts["no_progress"]
        self.w = Writer()
        with transaction.atomic():
            if self.w.pg:
                with connection.cursor() as cursor:
                    # One transaction of millions of rows: no need to wait for each WAL flush.
                    cursor.execute("SET LOCAL synchronous_commit = off")
            Generator(self.w, random.Random(opts["seed"]), progress=self.progress).run(n)
            from requests_app.board.versions import board_totals_recount_all

            # The boards' stored totals, as the services would have kept them.
            board_totals_recount_all()
        self.w.reset_sequences()
        if self.w.pg:
            with connection.cursor() as cursor:
                # What autovacuum would do to a live database: statistics for the planner, and
                # the visibility map without which no index-only scan is possible. (VACUUM cannot
                # run inside a transaction, as in the test suite: there, statistics only.)
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        from review.caching import review_data_changed

        review_data_changed()  # rows were bulk-loaded: no model signal told the review cache
        self.stdout.write(self.style.SUCCESS(f"Generated {n:,} requests."))


class Generator:
    """Builds the rows; ids are assigned here so related rows can point at each other."""

    def __init__(self, writer: Writer, rng: random.Random, *, progress: bool):
        from notifications.models import Notification
        from products.models import (
            DataProduct,
            Domain,
            OutputPort,
            ProductConsumer,
            ProductStatusChange,
            Tag,
        )
        from requests_app.models import (
            Comment,
            DataRequest,
            DomainCycleCapacity,
            RequestEvent,
            RoadmapCycle,
        )

        self.w, self.rng, self.progress = writer, rng, progress
        T = lambda model, *names: Table(model, names, now=NOW)  # noqa: E731
        User = get_user_model()
        self.t_user = T(User, "id", "password", "username", "first_name", "last_name", "email",
                        "is_staff", "is_superuser", "is_active", "date_joined")  # fmt: skip
        self.t_domain = T(Domain, "id", "name", "slug", "description", "contact_email",
                          "default_capacity", "created_at")  # fmt: skip
        self.t_leads = T(Domain.leads.through, "domain_id", "user_id")
        self.t_members = T(Domain.members.through, "domain_id", "user_id")
        self.t_tag = T(Tag, "id", "name")
        self.t_product_tags = T(DataProduct.tags.through, "dataproduct_id", "tag_id")
        self.t_product = T(DataProduct, "id", "domain_id", "name", "slug", "description",
                           "status", "classification", "contains_pii", "freshness_sla_hours",
                           "availability_target", "support_contact", "sunset_on",
                           "created_at", "updated_at")  # fmt: skip
        self.t_port = T(OutputPort, "product_id", "kind", "location")
        self.t_consumer = T(ProductConsumer, "product_id", "domain_id", "since", "use_case")
        self.t_product_history = T(ProductStatusChange, "product_id", "from_status",
                                   "to_status", "actor_id", "at")  # fmt: skip
        self.t_cycle = T(RoadmapCycle, "id", "name", "slug", "starts_on", "ends_on",
                         "request_deadline", "review_on")  # fmt: skip
        self.t_capacity = T(DomainCycleCapacity, "domain_id", "cycle_id", "capacity",
                            "board_version")  # fmt: skip
        self.t_request = T(DataRequest, "id", "title", "description", "business_need",
                           "requester_id", "requesting_domain_id", "target_domain_id",
                           "data_product_id", "needed_by_cycle_id", "urgency", "status",
                           "planned_cycle_id", "effort", "reach", "impact", "confidence", "score",
                           "rank", "decision_reason", "duplicate_of_id", "delivered_product_id",
                           "is_late", "lead_time_days", "created_at", "updated_at",
                           "submitted_at", "triaged_at", "decided_at", "delivered_at",
                           "version")  # fmt: skip
        self.t_watchers = T(DataRequest.watchers.through, "datarequest_id", "user_id")
        self.t_event = T(RequestEvent, "id", "request_id", "actor_id", "kind", "from_status",
                         "to_status", "data", "at")  # fmt: skip
        self.t_comment = T(Comment, "id", "request_id", "author_id", "body", "created_at")
        self.t_notification = T(Notification, "recipient_id", "kind", "request_id", "channel",
                                "message", "payload", "dedupe_key", "status", "digest",
                                "attempts", "created_at", "sent_at", "read_at")  # fmt: skip
        self.request_path = reverse("requests_app:request-detail", args=[999999999])

    # --- reference data ----------------------------------------------------------------------

    def run(self, n: int) -> None:
        # Dropped before anything is written: PostgreSQL refuses to alter a table that has
        # deferred trigger events pending.
        big = [self.t_request, self.t_watchers, self.t_event, self.t_comment, self.t_notification]
        with self.w.indexes_deferred(t.model for t in big):
            self.people()
            self.domains()
            self.products()
            self.cycles()
            self.requests(n)

    def people(self) -> None:
        """2 leads and 4 members per domain, 400 product managers, 1 staff user."""
        self.leads, self.members = defaultdict(list), defaultdict(list)
        uid = 0
        for d in range(1, DOMAINS + 1):
            for group, count in ((self.leads, 2), (self.members, 4)):
                for _ in range(count):
                    uid += 1
                    group[d].append(uid)
        self.pms = list(range(uid + 1, uid + PMS + 1))
        self.staff_id = uid + PMS + 1
        password = make_password("bench-password")
        self.w.write(
            self.t_user,
            (
                (i, password, "benchadmin" if i == self.staff_id else f"bench{i}", "Bench",
                 f"User {i}", f"bench{i}@example.com", i == self.staff_id, i == self.staff_id,
                 True, NOW - 400 * D)
                for i in range(1, self.staff_id + 1)
            ),
        )  # fmt: skip

    def domains(self) -> None:
        rng = self.rng
        self.w.write(
            self.t_domain,
            (
                (d, f"{AREAS[(d - 1) % 20].replace('-', ' ').title()} {(d - 1) // 20 + 1}",
                 f"{AREAS[(d - 1) % 20]}-{(d - 1) // 20 + 1}", "A producing domain.",
                 f"team{d}@example.com", rng.choice([20, 30, 40, 60]), NOW - 400 * D)
                for d in range(1, DOMAINS + 1)
            ),
        )  # fmt: skip
        self.w.write(self.t_leads, ((d, u) for d, us in self.leads.items() for u in us))
        self.w.write(self.t_members, ((d, u) for d, us in self.members.items() for u in us))

    def products(self) -> None:
        """25 per domain; ~5% deprecated; consumers from other domains; one status change each."""
        rng = self.rng
        self.live_products = defaultdict(list)  # a request can only be delivered as a live one
        self.products_by_domain = defaultdict(list)
        rows, consumers, history, tags = [], [], [], []
        for p in range(1, DOMAINS * PRODUCTS_PER_DOMAIN + 1):
            d = (p - 1) // PRODUCTS_PER_DOMAIN + 1
            status = _weighted(rng, PRODUCT_STATUSES)
            self.products_by_domain[d].append(p)
            if status != "deprecated":
                self.live_products[d].append(p)
            is_product = status == "product"
            created = NOW - rng.randint(30, 700) * D
            rows.append(
                (p, d, f"Data product {p}", f"product-{p}",
                 f"Events and facts about {AREAS[(d - 1) % 20]}, number {p}.", status,
                 rng.choice(["public", "internal", "confidential", "restricted"]),
                 rng.random() < 0.2, 24 if is_product else None,
                 Decimal("99.50") if is_product else None,
                 "oncall@example.com" if is_product else "",
                 dt.date(2027, 6, 30) if status == "deprecated" else None, created, created)
            )  # fmt: skip
            history.append((p, "", status, self.leads[d][0], created))
            for c in rng.sample(range(1, DOMAINS + 1), rng.choice([0, 1, 1, 2, 3])):
                if c != d:
                    consumers.append((p, c, (created + 10 * D).date(), "Dashboards and models."))
            tags.append((p, (d - 1) % 20 + 1))
        for d, live in self.live_products.items():
            if not live:  # every domain keeps something to deliver into
                live.append(self.products_by_domain[d][0])
        self.w.write(self.t_tag, ((i + 1, area) for i, area in enumerate(AREAS)))
        self.w.write(self.t_product, rows)
        self.w.write(self.t_product_tags, tags)
        self.w.write(
            self.t_port,
            ((p, "table", f"warehouse.d{(p - 1) // PRODUCTS_PER_DOMAIN + 1}.t{p}")
             for p in range(1, len(rows) + 1)),
        )  # fmt: skip
        self.w.write(self.t_consumer, consumers)
        self.w.write(self.t_product_history, history)

    def cycles(self) -> None:
        """2025-Q1 … 2027-Q4; the request deadline 6 weeks before the start, review a week
        before the end."""
        self.cycle_rows = []
        for i in range(CYCLES):
            year, q = 2025 + i // 4, i % 4 + 1
            starts = dt.date(year, 3 * q - 2, 1)
            ends = dt.date(year + (q == 4), (3 * q) % 12 + 1, 1) - D
            self.cycle_rows.append(
                (i + 1, f"{year}-Q{q}", f"{year}-q{q}", starts, ends, starts - 42 * D, ends - 7 * D)
            )
        self.w.write(self.t_cycle, self.cycle_rows)

    # --- requests and everything hanging off them --------------------------------------------

    def requests(self, n: int) -> None:
        from tqdm import tqdm

        rng = self.rng
        cum_weights = list(accumulate(1 / (d**1.1) for d in range(1, DOMAINS + 1)))
        targets = range(1, DOMAINS + 1)
        today = timezone.localdate(NOW)
        phase = {
            c[0]: "past" if c[4] < today else "current" if c[3] <= today else "future"
            for c in self.cycle_rows
        }
        self.next_rank: dict[tuple[int, int], int] = defaultdict(int)
        self.last_by_target: dict[int, int] = {}
        self.ids = {"event": 0, "comment": 0}
        self.buffers: dict[str, list] = defaultdict(list)
        bar = tqdm(total=n, desc="requests", unit="req", disable=not self.progress, mininterval=1)
        for r in range(1, n + 1):
            target = rng.choices(targets, cum_weights=cum_weights)[0]
            cycle = self.cycle_rows[rng.randrange(CYCLES)]
            status = _weighted(rng, STATUS_WEIGHTS[phase[cycle[0]]])
            self.request(r, target, cycle, status)
            if r % FLUSH_EVERY == 0 or r == n:
                self.flush()
                bar.update(r - bar.n)
        bar.close()
        self.w.write(
            self.t_capacity,
            ((d, c, None, 1) for (d, c) in sorted(self.next_rank)),
        )

    def request(self, r: int, target: int, cycle: tuple, status: str) -> None:
        rng, buf = self.rng, self.buffers
        c_id, _, c_slug, starts, _, deadline, _ = cycle
        requester = rng.choice(self.pms)
        requesting = rng.randrange(1, DOMAINS + 1)
        if requesting == target:
            requesting = requesting % DOMAINS + 1
        lead = self.leads[target][0]
        # A duplicate points at an earlier request to the same domain (the first one cannot).
        duplicate_of = self.last_by_target.get(target) if status == "duplicate" else None
        if status == "duplicate" and duplicate_of is None:
            status = "declined"
        created = dt.datetime.combine(
            deadline - rng.randint(-25, 90) * D, dt.time(9), tzinfo=dt.UTC
        ) + dt.timedelta(minutes=rng.randrange(600))
        if created > NOW - 2 * D:  # nobody files from the future
            created = NOW - rng.randint(2, 60) * D - dt.timedelta(minutes=rng.randrange(600))

        planned = None
        if status in COMMITTED:
            planned = c_id if rng.random() < 0.8 else min(c_id + 1, CYCLES)
        elif status == "deferred" and rng.random() < 0.7:
            planned = min(c_id + rng.randint(1, 2), CYCLES)

        # The path through the lifecycle: (action, from, to, actor, when). Work starts once the
        # planned cycle has begun, and is delivered weeks later.
        steps: list[tuple[str, str, str, int, dt.datetime]] = []
        at = created
        if status != "draft":
            at += rng.randint(0, 48) * H
            steps.append(("submit", "draft", "submitted", requester, at))
        if status == "withdrawn":
            steps.append(
                ("withdraw", "submitted", "withdrawn", requester, at + rng.randint(1, 10) * D)
            )
        elif status not in ("draft", "submitted"):
            at += rng.randint(0, 12) * D
            steps.append(("triage", "submitted", "triaged", lead, at))
            if status in DECISION:
                at += 2 * H
                to = "accepted" if status in COMMITTED else status
                steps.append((DECISION[status], "triaged", to, lead, at))
            if status in ("in_progress", "delivered"):
                begins = dt.datetime.combine(
                    self.cycle_rows[planned - 1][3], dt.time(10), tzinfo=dt.UTC
                )
                at = max(at + D, begins + rng.randint(0, 30) * D)
                steps.append(
                    ("start", "accepted", "in_progress", rng.choice(self.members[target]), at)
                )
            if status == "delivered":
                steps.append(
                    ("deliver", "in_progress", "delivered", lead, at + rng.randint(10, 60) * D)
                )
        # Squeeze the path into the past when it would run beyond NOW (order kept).
        if steps and steps[-1][4] > NOW - H:
            scale = (NOW - H - created) / (steps[-1][4] - created)
            steps = [(*step[:4], created + (step[4] - created) * scale) for step in steps]
        times = {step[0]: step[4] for step in steps}

        submitted = times.get("submit")
        is_late = lead_time = None
        if submitted:
            submitted_on = timezone.localdate(submitted)  # as request_submit stamps it
            is_late, lead_time = submitted_on > deadline, (starts - submitted_on).days
        triaged = times.get("triage")
        decided_action = DECISION.get(status)
        decided = times.get(decided_action) if decided_action else None

        effort = rank = None
        if status in COMMITTED or (status in ("triaged", "deferred") and rng.random() < 0.5):
            effort = rng.randint(1, 13)
        reach = impact = confidence = None
        if triaged and rng.random() < 0.8:
            reach, impact = rng.randint(1, 500), rng.choice(IMPACTS)
            confidence = rng.choice([50, 80, 100])
        score = rice_score(reach=reach, impact=impact, confidence=confidence, effort=effort)
        if status in BOARD and planned:
            self.next_rank[(target, planned)] += 1
            rank = self.next_rank[(target, planned)]
        delivered_product = (
            rng.choice(self.live_products[target]) if status == "delivered" else None
        )
        reason = (
            "Not this quarter: capacity is taken." if status in ("declined", "deferred") else ""
        )
        product = rng.choice(self.products_by_domain[target]) if rng.random() < 0.5 else None

        # Comments (~1 per request): the requester, or the lead once it is submitted.
        comments = []
        for k in range(rng.choice([0, 1, 1, 1, 2])):
            author = lead if submitted and rng.random() < 0.5 else requester
            when = min((submitted or created) + (1 + 2 * k) * D, NOW - H)
            comments.append((author, when))

        events = [("created", "", "draft", requester, created, {})]
        data_for = {
            "submit": {"is_late": is_late, "lead_time_days": lead_time},
            "accept": {"planned_cycle": self._slug(planned), "effort": effort},
            "decline": {"reason": reason},
            "defer": {"reason": reason, "planned_cycle": self._slug(planned)},
            "mark_duplicate": {"duplicate_of": duplicate_of},
            "deliver": {"delivered_product": delivered_product},
        }
        for action, from_status, to_status, actor, when in steps:
            events.append((action, from_status, to_status, actor, when, data_for.get(action, {})))
        for author, when in comments:
            self.ids["comment"] += 1
            cid = self.ids["comment"]
            buf["comment"].append((cid, r, author, "Any update on this? @someone", when))
            events.append(("commented", "", "", author, when, {"comment": cid, "mentions": []}))
        events.sort(key=lambda e: e[4])
        last_at = events[-1][4]

        path = self.request_path.replace("999999999", str(r))
        watchers = {requester}  # who watches at each moment: commenting starts watching
        for kind, from_status, to_status, actor, when, data in events:
            self.ids["event"] += 1
            eid = self.ids["event"]
            buf["event"].append((eid, r, actor, kind, from_status, to_status, data, when))
            self.notify(eid, r, kind, actor, when, path, target, watchers)
            if kind == "commented":
                watchers.add(actor)

        buf["request"].append(
            (r, f"Need {AREAS[(target - 1) % 20]} data for feature {r}",
             "Daily rows with the fields listed below.", "Enables the roadmap item.",
             requester, requesting, target, product, c_id, rng.choice(URGENCIES), status,
             planned, effort, reach, impact, confidence, score, rank, reason, duplicate_of,
             delivered_product, is_late, lead_time, created, last_at, submitted,
             triaged, decided, times.get("deliver"), 1 + len(steps))
        )  # fmt: skip
        buf["watchers"].extend((r, u) for u in sorted(watchers))
        self.last_by_target[target] = r

    def _slug(self, cycle_id: int | None) -> str | None:
        return self.cycle_rows[cycle_id - 1][2] if cycle_id else None

    def notify(self, eid, r, kind, actor, when, path, target, watchers) -> None:
        """The outbox rows of one event, as `notifications.services` writes them: in-app rows
        sent on write; email at once for decisions, in the daily digest otherwise."""
        if kind == "submit":
            heard, people = "submitted", self.leads[target]
        elif kind in HEARD_AS:
            heard, people = HEARD_AS[kind], sorted(watchers)
        elif kind == "commented":
            heard, people = "comment", sorted(watchers)
        else:
            return
        rng, rows = self.rng, self.buffers["notification"]
        message = f"DR-{r}: {heard}."
        payload = {"path": path}
        immediate = heard in HEARD_AS.values()
        for user in people:
            if user == actor:
                continue
            read = when + 2 * H if rng.random() < (0.7 if when < NOW - 14 * D else 0.3) else None
            rows.append(
                (user, heard, r, "in_app", message, payload, f"event{eid}:u{user}:in_app",
                 "sent", "", 1, when, when, read)
            )  # fmt: skip
            sent_at = when if immediate else _next_digest(when)
            if sent_at > NOW:
                rows.append(
                    (user, heard, r, "email", message, payload, f"event{eid}:u{user}:email",
                     "pending", "daily", 0, when, None, None)
                )  # fmt: skip
            else:
                rows.append(
                    (user, heard, r, "email", message, payload, f"event{eid}:u{user}:email",
                     "sent", "" if immediate else "daily", 1, when, sent_at, None)
                )  # fmt: skip

    def flush(self) -> None:
        buf = self.buffers
        self.w.write(self.t_request, buf.pop("request", []))
        self.w.write(self.t_watchers, buf.pop("watchers", []))
        self.w.write(self.t_comment, buf.pop("comment", []))
        self.w.write(self.t_event, buf.pop("event", []))
        self.w.write(self.t_notification, buf.pop("notification", []))
