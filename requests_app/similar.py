"""Needs that may already be answered: open requests and data products similar to what a person
is typing (filing suggestions, "supply finds demand"). Full-text ranking on PostgreSQL, a bounded
word-overlap fallback elsewhere."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import (
    Case,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)

from products.models import DataProduct, Domain
from requests_app import lifecycle
from requests_app.models import DataRequest
from requests_app.selectors import LIST_RELATED

S = DataRequest.Status


# --- similar needs -----------------------------------------------------------------------------

MAX_QUERY = 200
MAX_TERMS = 12
_WORD = re.compile(r"\w+", re.UNICODE)
# Words that say nothing about which data is meant; matching on them would rank everything.
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "data",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "of",
        "on",
        "or",
        "per",
        "the",
        "to",
        "we",
        "with",
        "need",
        "needs",
        "our",
        "that",
        "this",
    ]
)


def _terms(q: str) -> list[str]:
    seen: list[str] = []
    for word in _WORD.findall(q.lower()):
        if len(word) > 1 and word not in _STOPWORDS and word not in seen:
            seen.append(word)
    return seen[:MAX_TERMS]


def _similar_requests_qs(target_domain: Domain | None) -> QuerySet[DataRequest]:
    qs = DataRequest.objects.exclude(
        status__in=lifecycle.TERMINAL_STATES | {S.DRAFT}
    ).select_related(*LIST_RELATED)
    return qs.filter(target_domain=target_domain) if target_domain else qs


def _similar_products_qs(target_domain: Domain | None) -> QuerySet[DataProduct]:
    qs = DataProduct.objects.exclude(status=DataProduct.Status.DEPRECATED).select_related("domain")
    return qs.filter(domain=target_domain) if target_domain else qs


def _rank_postgres(qs: QuerySet, q: str, terms: list[str], title: str, limit: int) -> list:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    # Any term may match (OR): a need is described in other words than the product that answers it.
    query = SearchQuery(terms[0], config="english")
    for term in terms[1:]:
        query |= SearchQuery(term, config="english")
    vector = SearchVector(title, weight="A", config="english") + SearchVector(
        "description", weight="B", config="english"
    )
    exact = Case(
        When(**{f"{title}__iexact": q}, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return list(
        qs.annotate(search=vector, search_rank=SearchRank(vector, query), exact=exact)
        .filter(Q(search=query) | Q(exact=1))
        .order_by("-exact", "-search_rank", "-pk")[:limit]
    )


# Bound the Python ranking on SQLite: the fallback is for development and tests, not for scale.
_FALLBACK_CANDIDATES = 300


def _rank_fallback(qs: QuerySet, q: str, terms: list[str], title: str, limit: int) -> list:
    """Term overlap: each term found in the title counts 1, in the description 0.4."""
    match = Q(**{f"{title}__iexact": q})
    for term in terms:
        match |= Q(**{f"{title}__icontains": term}) | Q(description__icontains=term)
    scored = []
    for obj in qs.filter(match)[:_FALLBACK_CANDIDATES]:
        name, text = getattr(obj, title).lower(), (obj.description or "").lower()
        exact = name.strip() == q.strip().lower()
        score = sum(1.0 for t in terms if t in name) + sum(0.4 for t in terms if t in text)
        if exact or score:
            obj.search_rank = score  # not `rank`: requests have a board rank of their own
            scored.append((not exact, -score, -obj.pk, obj))
    scored.sort(key=lambda row: row[:3])
    return [row[3] for row in scored[:limit]]


def requests_similar(
    *, q: str, target_domain: Domain | None = None, limit: int = 10
) -> dict[str, list]:
    """Open requests (not drafts, not closed) and live data products (not deprecated) that may
    already answer the need described in ``q``, best match first; an exact product name comes
    first. Full-text search on PostgreSQL, term overlap elsewhere."""
    q = " ".join((q or "").split())[:MAX_QUERY]
    terms = _terms(q)
    if not terms and not q:
        return {"requests": [], "data_products": []}
    rank = _rank_postgres if connection.vendor == "postgresql" and terms else _rank_fallback
    return {
        "requests": rank(_similar_requests_qs(target_domain), q, terms, "title", limit),
        "data_products": rank(_similar_products_qs(target_domain), q, terms, "name", limit),
    }


# --- cycles ------------------------------------------------------------------------------------
