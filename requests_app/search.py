"""One search box for everything: requests (by key or words), data products, domains, people.

Requests and data products: on PostgreSQL, a web search of whole words (full-text, through a GIN
index), ranked by where it matches; on SQLite, every word must appear
(case-insensitive) and title matches come first. Each group is at most ``LIMIT`` rows, best first,
and the whole search is one query per group whatever the data size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import BooleanField, Case, F, Func, IntegerField, Q, QuerySet, Value, When

from products.models import DataProduct, Domain
from requests_app.models import DataRequest

LIMIT = 10
# PostgreSQL ranks at most this many matches (the first the index finds), so a word found in a
# thousand requests costs what one found in a hundred does; the request list's ``?q=`` lists all.
RANKED = 200
CONFIG = "simple"  # no stemming, no stop words: names and codes are searched as written
REQUEST_FIELDS = ("title", "business_need", "description")
PRODUCT_FIELDS = ("name", "description")
MAX_QUERY = 200
MAX_WORDS = 8
KEY = re.compile(r"^\s*(?:dr-?)?(\d{1,12})\s*$", re.IGNORECASE)
WORD = re.compile(r"\w+", re.UNICODE)
User = get_user_model()


@dataclass
class SearchResults:
    """What one query found, per group, best first."""

    query: str
    requests: list[dict] = field(default_factory=list)
    data_products: list[dict] = field(default_factory=list)
    domains: list[dict] = field(default_factory=list)
    people: list[dict] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.requests or self.data_products or self.domains or self.people)

    def as_dict(self) -> dict:
        return {
            "query": self.query,
            "requests": self.requests,
            "data_products": self.data_products,
            "domains": self.domains,
            "people": self.people,
        }


def _words(query: str) -> list[str]:
    return WORD.findall(query)[:MAX_WORDS]


def _all_words(words: list[str], fields: tuple[str, ...]) -> Q:
    """Every word appears in at least one of ``fields`` (the SQLite fallback)."""
    condition = Q()
    for word in words:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    return condition


def _title_first(words: list[str], title: str) -> Case:
    return Case(
        When(Q(**{f"{title}__icontains": " ".join(words)}), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


def document(fields: tuple[str, ...]):
    """PostgreSQL: the searched text of a row, weighted by field (the first counts most). The
    GIN indexes of migrations requests_app 0014 and products 0005 index this very expression."""
    from django.contrib.postgres.search import SearchVector

    weights = ("A", "B", "C", "D")
    vector = SearchVector(fields[0], weight="A", config=CONFIG)
    for i, name in enumerate(fields[1:], start=1):
        vector += SearchVector(name, weight=weights[min(i, 3)], config=CONFIG)
    return vector


class _AnyOf(Func):
    """``value = ANY(array)`` (PostgreSQL)."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s))"
    output_field = BooleanField()


def _ranked(qs: QuerySet, query: str, words: list[str], fields: tuple[str, ...]) -> QuerySet:
    """Best matches first. PostgreSQL: rows matching the words as a web search (every word, or
    "a phrase", -not, or), found through the GIN index, at most ``RANKED`` of them ranked by
    full-text weight; SQLite: every word appears in some field, titles with the phrase first."""
    if connection.vendor != "postgresql":
        return qs.filter(_all_words(words, fields)).order_by(
            _title_first(words, fields[0]), fields[0]
        )
    from django.contrib.postgres.expressions import ArraySubquery
    from django.contrib.postgres.search import SearchQuery, SearchRank

    # Whole words, not prefixes: the planner knows how common a word is (and reads a few rows in
    # table order for one found everywhere); a prefix would collect every match first.
    search = SearchQuery(query, search_type="websearch", config=CONFIG)
    matches = qs.model.objects.annotate(document=document(fields)).filter(document=search)
    # `pk = ANY(ARRAY(the candidates))`: looked up by primary key (`pk IN (subquery)` may rather
    # read the whole table to hash-join a few hundred ids).
    candidates = ArraySubquery(matches.order_by().values("pk")[:RANKED])
    return (
        qs.filter(_AnyOf(F("pk"), candidates))
        .annotate(search_rank=SearchRank(document(fields), search))
        .order_by("-search_rank", fields[0], "pk")
    )


def requests_matching(query: str, words: list[str]) -> list[dict]:
    """Requests by key (DR-12 or 12) first, then by words in the title, need and description."""
    match = KEY.match(query)
    fields = REQUEST_FIELDS
    qs = DataRequest.objects.select_related("target_domain").only(
        "pk", "title", "status", "target_domain__name", "target_domain__slug"
    )
    if match:
        qs = qs.filter(Q(pk=int(match.group(1))) | _all_words(words, fields[:1])).order_by(
            Case(When(pk=int(match.group(1)), then=Value(0)), default=Value(1)), "-pk"
        )
    elif words:
        qs = _ranked(qs, query, words, fields)
    else:
        return []
    return [
        {
            "id": r.pk,
            "key": r.key,
            "title": r.title,
            "status": r.status,
            "status_label": r.get_status_display(),
            "target_domain": r.target_domain.slug if r.target_domain_id else None,
            "target_domain_name": r.target_domain.name if r.target_domain_id else None,
            "url": r.get_absolute_url(),
        }
        for r in qs[:LIMIT]
    ]


def products_matching(query: str, words: list[str]) -> list[dict]:
    """Data products by name, tags aside, description."""
    qs = DataProduct.objects.select_related("domain").only(
        "pk", "name", "slug", "status", "domain__name", "domain__slug"
    )
    qs = _ranked(qs, query, words, PRODUCT_FIELDS)
    return [
        {
            "id": p.pk,
            "name": p.name,
            "status": p.status,
            "domain": p.domain.slug,
            "domain_name": p.domain.name,
            "url": p.get_absolute_url(),
        }
        for p in qs[:LIMIT]
    ]


def domains_matching(words: list[str]) -> list[dict]:
    """Domains by name or slug."""
    qs = Domain.objects.filter(_all_words(words, ("name", "slug", "description"))).order_by(
        _title_first(words, "name"), "name"
    )
    return [
        {"slug": d.slug, "name": d.name, "url": d.get_absolute_url()}
        for d in qs.only("slug", "name")[:LIMIT]
    ]


def people_matching(words: list[str]) -> list[dict]:
    """Active people by username, first or last name."""
    qs = User.objects.filter(
        _all_words(words, ("username", "first_name", "last_name")), is_active=True
    ).order_by("first_name", "last_name", "username")
    return [
        {"username": u.username, "name": u.get_full_name() or u.username}
        for u in qs.only("username", "first_name", "last_name")[:LIMIT]
    ]


def search(*, query: str) -> SearchResults:
    """Everything matching ``query`` (at most ``LIMIT`` per group); 4 queries whatever it finds."""
    query = (query or "").strip()[:MAX_QUERY]
    words = _words(query)
    results = SearchResults(query=query)
    if not words:
        return results
    results.requests = requests_matching(query, words)
    results.data_products = products_matching(query, words)
    results.domains = domains_matching(words)
    results.people = people_matching(words)
    return results
