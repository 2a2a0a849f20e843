"""Reads shared by the request pages and the API: lists, detail, timeline, similar needs, cycles.

Every queryset here is shaped for what its callers show (select_related/annotate), so a page or an
API list costs the same number of queries whatever its length.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from products import access
from products.models import DataProduct, Domain
from requests_app import lifecycle, sla
from requests_app.models import Comment, DataRequest, RequestEvent, RoadmapCycle

S = DataRequest.Status
User = get_user_model()

# low < medium < high < critical, for ``?ordering=urgency``.
URGENCY_ORDER = Case(
    *(When(urgency=value, then=Value(i)) for i, value in enumerate(DataRequest.Urgency.values)),
    default=Value(0),
    output_field=IntegerField(),
)
LIST_RELATED = (
    "requester",
    "requesting_domain",
    "target_domain",
    "data_product",
    "needed_by_cycle",
    "planned_cycle",
)


# --- requests ----------------------------------------------------------------------------------


def request_list(*, user) -> QuerySet[DataRequest]:
    """Every request a signed-in user may see (all of them: the mesh is open by default), with
    what a row shows joined in one query. Also caches the user's domains for ``allowed_actions``."""
    lifecycle.roles_of(user, DataRequest())
    # Only ordering by urgency needs its rank; the FilterSet annotates URGENCY_ORDER then.
    return DataRequest.objects.select_related(*LIST_RELATED)


# The API list reads flat values, not model instances: a page is 50 rows of facts, and building a
# DataRequest and six related objects per row costs more than the query. The page query joins
# nothing (planning a six-way join took PostgreSQL longer than running it); the names it shows
# come from one small query for the page's own domains, cycles and requesters.
LIST_VALUES = tuple(f.attname for f in DataRequest._meta.concrete_fields if f.name != "updated_at")


def request_list_values(queryset: QuerySet[DataRequest]) -> QuerySet:
    """``queryset`` (filtered and ordered) as dicts of `LIST_VALUES`."""
    return queryset.values(*LIST_VALUES)


def _labelled(kind: str, queryset: QuerySet, ids: set[int], name: str) -> QuerySet | None:
    if not ids:
        return None
    return (
        queryset.filter(pk__in=ids)
        .order_by()
        .values_list(Value(kind, output_field=CharField()), "pk", name)
    )


def request_row_names(rows: list[dict], *, shown: str = "slug") -> dict[str, dict[int, str]]:
    """The domains and cycles that ``rows`` name (their ``shown`` field: slug for the API, name
    for the pages) and the usernames of their requesters, in one query:
    ``{"domain": {id: slug}, "cycle": {…}, "user": {id: username}}``."""
    names: dict[str, dict[int, str]] = {"domain": {}, "cycle": {}, "user": {}}
    parts = [
        _labelled(
            "domain",
            Domain.objects.all(),
            {r[k] for r in rows for k in ("requesting_domain_id", "target_domain_id") if r[k]},
            shown,
        ),
        _labelled(
            "cycle",
            RoadmapCycle.objects.all(),
            {r[k] for r in rows for k in ("needed_by_cycle_id", "planned_cycle_id") if r[k]},
            shown,
        ),
        _labelled("user", User.objects.all(), {r["requester_id"] for r in rows}, "username"),
    ]
    parts = [p for p in parts if p is not None]
    if parts:
        for kind, pk, name in parts[0].union(*parts[1:], all=True):
            names[kind][pk] = name
    return names


def request_detail(*, pk: Any, user) -> DataRequest | None:
    """One request with everything its page shows, and whether ``user`` watches it; None if absent."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    watchers = DataRequest.watchers.through.objects.filter(datarequest_id=OuterRef("pk"))
    return (
        request_list(user=user)
        .select_related("duplicate_of", "delivered_product", "data_product__domain")
        .annotate(
            is_watching=Exists(watchers.filter(user_id=getattr(user, "pk", None))),
            watcher_count=Coalesce(
                Subquery(
                    watchers.order_by().values("datarequest_id").annotate(n=Count("pk")).values("n")
                ),
                0,
            ),
        )
        .filter(pk=pk)
        .first()
    )


def request_events(*, data_request: DataRequest) -> QuerySet[RequestEvent]:
    """The audit trail of a request, oldest first, with the actors."""
    return data_request.events.select_related("actor").order_by("at", "pk")


def request_comments(*, data_request: DataRequest) -> QuerySet[Comment]:
    """The discussion on a request, oldest first, with authors and mentions."""
    return (
        data_request.comments.select_related("author")
        .prefetch_related("mentions")
        .order_by("created_at", "pk")
    )


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a request's history: an event or a comment."""

    at: datetime
    kind: str  # "event" or "comment"
    item: RequestEvent | Comment


def request_timeline(data_request: DataRequest) -> list[TimelineEntry]:
    """Events and comments interleaved by time. A comment stands in for its own "commented"
    event, so each remark appears once. Two queries (plus one for mentions) whatever the length."""
    entries = [
        TimelineEntry(e.at, "event", e)
        # Watching is audited but is no news for the page's readers.
        for e in request_events(data_request=data_request).exclude(
            # An edit shows on its comment ("edited"); its old text stays in the audit trail.
            kind__in=("commented", "watched", "unwatched", "comment_edited")
        )
    ]
    _name_cycles([entry.item for entry in entries])
    entries += [
        TimelineEntry(c.created_at, "comment", c)
        for c in request_comments(data_request=data_request)
    ]
    entries.sort(key=lambda e: (e.at, e.kind == "comment", e.item.pk))
    return entries


def _name_cycles(events: list[RequestEvent]) -> None:
    """Events keep the cycle's slug; people read its name ("2027-Q2"): one query for all."""
    slugs = {e.data.get("planned_cycle") for e in events if isinstance(e.data, dict)} - {None}
    names = (
        dict(RoadmapCycle.objects.filter(slug__in=slugs).values_list("slug", "name"))
        if slugs
        else {}
    )
    for event in events:
        slug = event.data.get("planned_cycle") if isinstance(event.data, dict) else None
        event.cycle_name = names.get(slug, slug)


def users_by_prefix(*, prefix: str, limit: int = 8) -> QuerySet:
    """Active users whose username, first or last name starts with ``prefix``, for @mention
    completion ("@Lars" offers Lars Eriksen)."""
    prefix = (prefix or "").strip().lstrip("@")[:150]
    if not prefix:
        return User.objects.none()
    return (
        User.objects.filter(
            Q(username__istartswith=prefix)
            | Q(first_name__istartswith=prefix)
            | Q(last_name__istartswith=prefix),
            is_active=True,
        )
        .order_by("username")
        .only("username", "first_name", "last_name")[:limit]
    )


def _count(model_qs: QuerySet, field: str) -> Coalesce:
    """A correlated COUNT subquery: two counts over different relations would multiply in a JOIN."""
    sub = model_qs.filter(**{field: OuterRef("pk")}).order_by().values(field)
    return Coalesce(Subquery(sub.annotate(n=Count("pk")).values("n")), 0)


def cycle_list() -> QuerySet[RoadmapCycle]:
    """Cycles in date order with how many submitted requests need them and how many are planned."""
    asked = DataRequest.objects.exclude(status=S.DRAFT)
    return RoadmapCycle.objects.annotate(
        request_count=_count(asked, "needed_by_cycle"),
        late_count=_count(asked.filter(is_late=True), "needed_by_cycle"),
        planned_count=_count(DataRequest.objects.all(), "planned_cycle"),
    ).order_by("starts_on")


def cycle_detail(*, slug: str) -> RoadmapCycle | None:
    """One cycle with its counts, or None."""
    return cycle_list().filter(slug=slug).first()


def cycle_status_counts(*, cycle: RoadmapCycle) -> list[dict]:
    """For each status, how many requests need ``cycle`` (drafts excluded), in lifecycle order."""
    rows = dict(
        DataRequest.objects.filter(needed_by_cycle=cycle)
        .exclude(status=S.DRAFT)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return [
        {"status": value, "label": label, "count": rows.get(value, 0)}
        for value, label in S.choices
        if value != S.DRAFT
    ]


def domains_of(user) -> dict[str, list[Domain]]:
    """The domains ``user`` belongs to (``all``, as lead or member) and those they ``lead``."""
    if not user or not user.is_authenticated:
        return {"lead": [], "all": []}
    led, team = access.domain_ids(user)
    domains = list(Domain.objects.filter(pk__in=team).order_by("name")) if team else []
    return {"lead": [d for d in domains if d.pk in led], "all": domains}


def product_requests(product: DataProduct) -> dict[str, list[DataRequest]]:
    """The requests a product delivered, and the open or closed requests that ask about it."""
    base = DataRequest.objects.select_related(
        "requester", "requesting_domain", "target_domain", "needed_by_cycle"
    ).order_by("-id")
    delivered = list(base.filter(delivered_product=product)[:50])
    delivered_ids = {r.pk for r in delivered}
    about = [r for r in base.filter(data_product=product)[:50] if r.pk not in delivered_ids]
    return {"delivered": delivered, "about": about}


def _start_of_day_after(day: dt.date) -> dt.datetime:
    if day >= dt.date.max:  # no day follows 9999-12-31: the last instant stands in for it
        return dt.datetime.max.replace(tzinfo=dt.UTC)
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def triage_overdue_condition(*, now: dt.datetime | None = None) -> Q:
    """Still submitted (untriaged) past the triage SLA at ``now``: the same rule as the triage
    reminders and the triage inbox (`requests_app.sla.overdue_cutoff`), so the review's figure and
    the request list's ``triage_overdue`` filter count the same requests."""
    return Q(status=S.SUBMITTED, submitted_at__lt=sla.overdue_cutoff(now))


def carried_over_condition(cycle: RoadmapCycle) -> Q:
    """Carried over from ``cycle``: planned in it and accepted or in progress, or delivered after
    it ended; or needed by it and deferred to a later cycle. The review's figure and the request
    list's ``carried_over_from`` filter both use this."""
    planned = Q(planned_cycle=cycle)
    return (
        (planned & Q(status__in=(S.ACCEPTED, S.IN_PROGRESS)))
        | (planned & Q(status=S.DELIVERED, delivered_at__gte=_start_of_day_after(cycle.ends_on)))
        | Q(
            needed_by_cycle=cycle,
            submitted_at__isnull=False,
            status=S.DEFERRED,
            planned_cycle__starts_on__gt=cycle.starts_on,
        )
    )
