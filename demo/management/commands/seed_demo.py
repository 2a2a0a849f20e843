"""Load the demo marketplace (`demo/demo_data.py`, and the `catalog/` files) through the services. Idempotent.

Everything is written by the same services the app uses (so statuses have their history and
requests their events and comments); existing rows are found by their natural key (username,
slug, request title) and left alone, so a second run creates nothing and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from demo import demo_data
from products import services
from products.interchange.services import catalog_import_paths
from products.models import DataProduct, Domain, ProductConsumer
from requests_app import services as requests
from requests_app.models import Comment, DataRequest, RequestEvent, RoadmapCycle
from requests_app.services.closed_cycles import replaying_history
from review.caching import review_data_changed

User = get_user_model()
DECISIONS = ("accept", "decline", "defer", "mark_duplicate")


def quarter_start(day: dt.date, offset: int = 0) -> dt.date:
    """First day of the quarter ``offset`` quarters from the one containing ``day``."""
    index = day.year * 4 + (day.month - 1) // 3 + offset
    return dt.date(index // 4, (index % 4) * 3 + 1, 1)


class Command(BaseCommand):
    help = "Create demo accounts, domains, data products, cycles and requests (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        # The seed's notifications are real, but a console full of them buries the one thing a
        # newcomer needs (the accounts): keep the emails in memory and say how many there were.
        trace = logging.getLogger("celery.app.trace")  # one "Task … succeeded" line per task
        quiet, trace.level = trace.level, logging.WARNING
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            mail.outbox = []
            with transaction.atomic(), replaying_history():
                created = self.seed()
                # The demo domains also keep part of their catalog as files (Backstage, ODPS,
                # ODCS): `catalog/` is imported like a company's own, idempotently.
                catalog_import_paths([settings.BASE_DIR / "catalog"])
            emails = len(mail.outbox)
            mail.outbox = []
        trace.setLevel(quiet)
        summary = ", ".join(f"{n} {what}" for what, n in created.items())
        # Timestamps were moved back with update(), which sends no model signal.
        review_data_changed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready ({summary or 'nothing new'}; {emails} notification emails "
                "delivered to the demo accounts, not printed)."
            )
        )
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {demo_data.PASSWORD}):")
        for username, (first, last, staff) in demo_data.PEOPLE.items():
            self.stdout.write(
                f"  {username:<8} {first} {last}{' (staff, superuser)' if staff else ''}{self._role(username)}"
            )

    def _role(self, username: str) -> str:
        roles = [
            f"lead of {d['name']}" for d in demo_data.DOMAINS.values() if username in d["leads"]
        ]
        roles += [
            f"member of {d['name']}" for d in demo_data.DOMAINS.values() if username in d["members"]
        ]
        return f": {', '.join(roles)}" if roles else ""

    # --- steps --------------------------------------------------------------------------------

    def seed(self) -> dict[str, int]:
        self.created: dict[str, int] = {}
        self.users = self.seed_people()
        self.admin = self.users["admin"]
        self.domains = self.seed_domains()
        self.cycles = self.seed_cycles()
        self.seed_products()
        self.seed_requests()
        return {k: v for k, v in self.created.items() if v}

    def _count(self, what: str) -> None:
        self.created[what] = self.created.get(what, 0) + 1

    def seed_people(self) -> dict[str, Any]:
        users = {}
        # Hash once: the same password for everyone, and hashing is slow by design.
        password = make_password(demo_data.PASSWORD)
        for username, (first, last, staff) in demo_data.PEOPLE.items():
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(
                    username=username,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@marketplace.example",
                    is_staff=staff,
                    is_superuser=staff,
                )
                user.password = password
                user.save()
                self._count("accounts")
            users[username] = user
        return users

    def seed_domains(self) -> dict[str, Domain]:
        domains = {}
        for slug, spec in demo_data.DOMAINS.items():
            domain = Domain.objects.filter(slug=slug).first()
            if domain is None:
                domain = services.domain_create(
                    actor=self.admin,
                    slug=slug,
                    name=spec["name"],
                    description=spec["description"],
                    contact_email=spec["contact_email"],
                    default_capacity=spec["default_capacity"],
                    leads=[self.users[u] for u in spec["leads"]],
                    members=[self.users[u] for u in spec["members"]],
                )
                self._count("domains")
            domains[slug] = domain
        return domains

    def seed_cycles(self) -> dict[int, RoadmapCycle]:
        """The previous, current and next two quarters; requests are due six weeks before start."""
        today = timezone.localdate()
        cycles = {}
        for offset in (-1, 0, 1, 2):
            starts_on = quarter_start(today, offset)
            ends_on = quarter_start(today, offset + 1) - dt.timedelta(days=1)
            name = f"{starts_on.year}-Q{(starts_on.month - 1) // 3 + 1}"
            cycle = RoadmapCycle.objects.filter(slug=name.lower()).first()
            if cycle is None:
                cycle = requests.cycle_create(
                    actor=self.admin,
                    name=name,
                    slug=name.lower(),
                    starts_on=starts_on,
                    ends_on=ends_on,
                    request_deadline=starts_on - dt.timedelta(weeks=6),
                    review_on=ends_on - dt.timedelta(days=5),
                )
                self._count("cycles")
            cycles[offset] = cycle
        return cycles

    def _lead(self, domain_slug: str):
        return self.users[demo_data.DOMAINS[domain_slug]["leads"][0]]

    def _maker(self, domain_slug: str):
        spec = demo_data.DOMAINS[domain_slug]
        return self.users[(spec["members"] or spec["leads"])[0]]

    def _product(self, ref: tuple[str, str] | None) -> DataProduct | None:
        if ref is None:
            return None
        return DataProduct.objects.get(domain=self.domains[ref[0]], slug=ref[1])

    def seed_products(self) -> None:
        today = timezone.localdate()
        for spec in demo_data.PRODUCTS:
            domain = self.domains[spec["domain"]]
            if DataProduct.objects.filter(domain=domain, name=spec["name"]).exists():
                continue
            self._publish(spec, domain, today)
            self._count("data products")
        # Consumers and replacements point at other products: add them once all exist.
        for spec in demo_data.PRODUCTS:
            product = DataProduct.objects.get(
                domain=self.domains[spec["domain"]], name=spec["name"]
            )
            for consumer_slug, use_case, days_ago in spec.get("consumers", []):
                consumer = self.domains[consumer_slug]
                if ProductConsumer.objects.filter(product=product, domain=consumer).exists():
                    continue
                services.consumer_add(
                    product=product,
                    domain=consumer,
                    actor=self._lead(consumer_slug),
                    use_case=use_case,
                    since=today - dt.timedelta(days=days_ago),
                )
                self._count("consumers")
            if spec["status"] == "deprecated" and product.status != "deprecated":
                services.product_update(
                    product=product,
                    actor=self._lead(spec["domain"]),
                    status="deprecated",
                    sunset_on=today + dt.timedelta(days=spec["sunset_in_days"]),
                    replacement=self._product(spec.get("replacement")),
                    note="Superseded; consumers have been told.",
                )

    def _publish(self, spec: dict, domain: Domain, today: dt.date) -> DataProduct:
        """Publish as shared, then walk the status forward, as a real team would."""
        maker = self._maker(spec["domain"])
        contract = {
            key: spec[key]
            for key in (
                "description",
                "classification",
                "contains_pii",
                "schema",
                "freshness_sla_hours",
                "availability_target",
                "support_contact",
            )
            if key in spec
        }
        product = services.product_create(
            actor=maker,
            domain=domain,
            name=spec["name"],
            tags=spec.get("tags", []),
            output_ports=[
                {"kind": kind, "location": location, "description": description}
                for kind, location, description in spec.get("ports", [])
            ],
            note="Shared by default",
            **contract,
        )
        target = spec["status"] if spec["status"] != "deprecated" else "product"
        if spec["status"] == "deprecated" and not spec.get("freshness_sla_hours"):
            target = "incubating"
        steps = {"shared": [], "incubating": ["incubating"], "product": ["incubating", "product"]}
        notes = {
            "incubating": "Backfill started; schema may still change.",
            "product": "SLA agreed with consumers.",
        }
        for status in steps[target]:
            product = services.product_set_status(
                product=product, actor=self._lead(spec["domain"]), status=status, note=notes[status]
            )
        return product

    def seed_requests(self) -> None:
        touched_cycles: set[int] = set()
        for spec in demo_data.REQUESTS:
            if DataRequest.objects.filter(title=spec["title"]).exists():
                continue
            request = self._file(spec)
            self._backdate(request, spec["days_ago"])
            self._count("requests")
            if request.needed_by_cycle_id:
                touched_cycles.add(request.needed_by_cycle_id)
        # Recompute early/late and lead time from the moved dates (the cycle service does it).
        for cycle in RoadmapCycle.objects.filter(pk__in=touched_cycles):
            requests.cycle_update(cycle=cycle, actor=self.admin)

    def _backdate(self, request: DataRequest, days_ago: int) -> None:
        """The services stamp "now"; spread the story from ``days_ago`` until today, so the
        timeline, early/late and lead times read as they would have."""
        filed = timezone.now() - dt.timedelta(days=days_ago)
        events = list(request.events.order_by("at", "pk"))
        step = dt.timedelta(days=days_ago) / (len(events) + 1)
        first: dict[str, dt.datetime] = {}
        for i, event in enumerate(events):
            event.at = filed + step * i
            first.setdefault(event.kind, event.at)
            if event.kind == "commented":
                Comment.objects.filter(pk=event.data.get("comment")).update(created_at=event.at)
        RequestEvent.objects.bulk_update(events, ["at"])
        decided = next((first[k] for k in DECISIONS if k in first), None)
        stamps = {
            "created_at": filed,
            "submitted_at": first.get("submit"),
            "triaged_at": first.get("triage") or decided,
            "decided_at": decided,
            "delivered_at": first.get("deliver"),
        }
        DataRequest.objects.filter(pk=request.pk).update(
            **{k: v for k, v in stamps.items() if k == "created_at" or getattr(request, k)}
        )

    def _file(self, spec: dict) -> DataRequest:
        requester = self.users[spec["requester"]]
        lead = self._lead(spec["to"])
        maker = self._maker(spec["to"])
        status = spec["status"]
        request = requests.request_create(
            actor=requester,
            title=spec["title"],
            description=spec.get("description", ""),
            business_need=spec["business_need"],
            requesting_domain=self.domains[spec["from"]],
            target_domain=self.domains[spec["to"]],
            data_product=self._product(spec.get("product")),
            needed_by_cycle=self.cycles[spec["needed_by"]],
            urgency=spec["urgency"],
            submit=status != "draft",
        )
        planned = self.cycles.get(spec.get("planned")) if "planned" in spec else None
        if status in ("triaged",):
            request = requests.request_triage(data_request=request, actor=lead)
        if status in ("accepted", "in_progress", "delivered"):
            request = requests.request_accept(
                data_request=request, actor=lead, planned_cycle=planned, effort=spec["effort"]
            )
        if status in ("in_progress", "delivered"):
            request = requests.request_start(data_request=request, actor=maker)
        if status == "delivered":
            request = requests.request_deliver(
                data_request=request,
                actor=maker,
                delivered_product=self._product(spec["delivered"]),
            )
        if status == "declined":
            request = requests.request_decline(
                data_request=request, actor=lead, reason=spec["reason"]
            )
        if status == "deferred":
            request = requests.request_defer(
                data_request=request, actor=lead, reason=spec["reason"], planned_cycle=planned
            )
        if status == "duplicate":
            original = DataRequest.objects.get(title=spec["duplicate_of"])
            request = requests.request_mark_duplicate(
                data_request=request, actor=lead, duplicate_of=original
            )
        if status == "withdrawn":
            request = requests.request_withdraw(
                data_request=request, actor=requester, reason=spec["reason"]
            )
        for author, body in spec.get("comments", []):
            requests.comment_create(data_request=request, author=self.users[author], body=body)
        # "We need this too": other teams' demand (1 to 4 teams per request in the demo).
        for username, team, need in spec.get("endorsements", []):
            requests.endorsement_create(
                data_request=request,
                actor=self.users[username],
                requesting_domain=self.domains[team],
                business_need=need,
            )
            self._count("endorsements")
        return request
