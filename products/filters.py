"""The catalog's FilterSets: one per list, used by the catalog page and the API alike."""

from __future__ import annotations

import django_filters
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from core import filters
from products.models import DataProduct, Domain, Tag

MAX_QUERY = 200


def _is_postgres(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def full_text(queryset: QuerySet, value: str, *, fields: tuple[str, str]) -> QuerySet:
    """Match ``value`` against a name (weighted first) and a description.

    PostgreSQL: stemmed full-text search ranked by relevance (plus a plain substring match on the
    name, so a half-typed word still finds it). Elsewhere (SQLite): case-insensitive substring.
    """
    value = (value or "").strip()[:MAX_QUERY]
    if not value:
        return queryset
    name, description = fields
    if not _is_postgres(queryset):
        return queryset.filter(
            Q(**{f"{name}__icontains": value}) | Q(**{f"{description}__icontains": value})
        )
    vector = SearchVector(name, weight="A", config="english") + SearchVector(
        description, weight="B", config="english"
    )
    query = SearchQuery(value, search_type="websearch", config="english")
    return (
        queryset.annotate(search=vector, search_rank=SearchRank(vector, query))
        .filter(Q(search=query) | Q(**{f"{name}__icontains": value}))
        .order_by("-search_rank", name, "pk")
    )


class DataProductFilter(filters.FilterSet):
    """Catalog filters: ``domain`` (slug), ``status``, ``classification``, ``tag``, ``pii``,
    ``q`` (full text over name and description) and ``ordering`` (name, status, updated_at)."""

    q = django_filters.CharFilter(
        method="search",
        label=gettext_lazy("Search"),
        widget=filters.SearchInput(attrs={"maxlength": MAX_QUERY}),
    )
    domain = filters.SlugChoiceFilter(
        queryset=Domain.objects.all(),
        empty_label=gettext_lazy("Any domain"),
        label=gettext_lazy("Domain"),
    )
    status = filters.ChoiceFilter(
        choices=DataProduct.Status.choices,
        empty_label=gettext_lazy("Any status"),
        label=gettext_lazy("Status"),
    )
    classification = filters.ChoiceFilter(
        choices=DataProduct.Classification.choices,
        empty_label=gettext_lazy("Any classification"),
        label=gettext_lazy("Classification"),
    )
    tag = filters.SlugChoiceFilter(
        field_name="tags",
        to_field_name="name",
        queryset=Tag.objects.all(),
        empty_label=gettext_lazy("Any tag"),
        label=gettext_lazy("Tag"),
    )
    pii = filters.StrictBooleanFilter(
        field_name="contains_pii",
        empty_label=gettext_lazy("PII or not"),
        label=gettext_lazy("Contains PII"),
    )
    ordering = filters.OrderingFilter(
        fields=(("name", "name"), ("status", "status"), ("updated_at", "updated_at")),
        field_labels={
            "name": "Name",
            "status": "Status",
            "updated_at": gettext_lazy("Last updated"),
        },
        empty_label=gettext_lazy("Relevance / domain"),
        label=gettext_lazy("Sort by"),
    )

    class Meta:
        model = DataProduct
        fields: list[str] = []

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return full_text(queryset, value, fields=("name", "description"))


class DomainFilter(filters.FilterSet):
    """Domain filters: ``q`` over name and description; ordering by name, slug or capacity."""

    q = django_filters.CharFilter(
        method="search",
        label=gettext_lazy("Search"),
        widget=filters.SearchInput(attrs={"maxlength": MAX_QUERY}),
    )
    ordering = filters.OrderingFilter(
        fields=(("name", "name"), ("slug", "slug"), ("default_capacity", "default_capacity"))
    )

    class Meta:
        model = Domain
        fields: list[str] = []

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return full_text(queryset, value, fields=("name", "description"))
