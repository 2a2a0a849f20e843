"""The one FilterSet for data requests: the request list page and ``/api/v1/requests/`` share it.

Unknown values answer 400 naming the valid ones (the building blocks are in `core.filters`).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils.translation import gettext, gettext_lazy
from django_filters import fields as filter_fields

from core.filters import (
    FilterSet,
    MultipleChoiceFilter,
    NamedChoiceField,
    OrderingCSVField,
    OrderingFilter,
    SlugChoiceFilter,
)
from core.filters import StrictBooleanFilter as BooleanFilter
from products.models import DataProduct, Domain
from requests_app import selectors
from requests_app.models import DataRequest, RoadmapCycle
from requests_app.selectors import URGENCY_ORDER


class IdChoiceField(filter_fields.ModelChoiceField):
    """By id: listing every id would not help anyone, so the error just says it does not exist."""

    def clean(self, value):
        try:
            return super().clean(value)
        except ValidationError:
            raise ValidationError(
                gettext("No %(what)s with id %(value)s."),
                code="invalid_choice",
                params={
                    "what": self.queryset.model._meta.verbose_name,
                    "value": repr(str(value)[:40]),
                },
            ) from None


class IdFilter(django_filters.ModelChoiceFilter):
    """A related object by id; unknown ids answer 400."""

    field_class = IdChoiceField


class NullsLastOrdering(django_filters.OrderingFilter):
    """``?ordering=score`` / ``-score``: empty values sort last either way; ties by newest id."""

    base_field_class = OrderingCSVField
    field_class = NamedChoiceField

    def filter(self, qs, value):
        if not value:
            return qs
        exprs = []
        for param in value:
            name = self.get_ordering_value(param)
            field = F(name.lstrip("-"))
            exprs.append(
                field.desc(nulls_last=True) if name.startswith("-") else field.asc(nulls_last=True)
            )
        return qs.order_by(*exprs, "-pk")


class RequesterField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value and value != "me" and not get_user_model().objects.filter(username=value).exists():
            raise ValidationError(
                gettext("No user named %(name)s. Use `me` or a username."),
                code="invalid_choice",
                params={"name": repr(value[:60])},
            )
        return value


class RequesterFilter(django_filters.CharFilter):
    field_class = RequesterField


# --- the request FilterSet ---------------------------------------------------------------------


class DataRequestFilter(FilterSet):
    """Filters of the request list (page and API): status, domains, cycles, requester, late, triage
    overdue, carried over from a cycle, urgency, data product, free text, minimum demand; ordering by submission,
    score, rank, lead time, urgency, creation, demand."""

    status = MultipleChoiceFilter(choices=DataRequest.Status.choices)
    target_domain = SlugChoiceFilter(
        queryset=Domain.objects.all(), label=gettext_lazy("Producing domain")
    )
    requesting_domain = SlugChoiceFilter(
        queryset=Domain.objects.all(), label=gettext_lazy("Requesting domain")
    )
    needed_by_cycle = SlugChoiceFilter(
        queryset=RoadmapCycle.objects.all(), label=gettext_lazy("Needed by")
    )
    planned_cycle = SlugChoiceFilter(
        queryset=RoadmapCycle.objects.all(), label=gettext_lazy("Planned for")
    )
    requester = RequesterFilter(
        method="filter_requester", max_length=150, label=gettext_lazy("Requester (me or username)")
    )
    is_late = BooleanFilter(label=gettext_lazy("Late"))
    # The review links its figures here; both filters share their rule with the figure.
    triage_overdue = BooleanFilter(
        method="filter_triage_overdue", label=gettext_lazy("Triage overdue")
    )
    # A text box (the cycle's slug), not a third <select> of every cycle: one query less per page.
    carried_over_from = SlugChoiceFilter(
        queryset=RoadmapCycle.objects.all(),
        method="filter_carried_over_from",
        field_name="planned_cycle",  # a cycle slug, as the schema says; the method does the rest
        label=gettext_lazy("Carried over from (cycle)"),
        widget=forms.TextInput,
    )
    urgency = MultipleChoiceFilter(choices=DataRequest.Urgency.choices)
    # A number box, not a <select> of the whole catalog.
    data_product = IdFilter(
        queryset=DataProduct.objects.all(),
        label=gettext_lazy("Data product (id)"),
        widget=forms.NumberInput,
    )
    q = django_filters.CharFilter(method="filter_q", max_length=200, label=gettext_lazy("Search"))
    # The review's demand figures link here: requests at least this many teams need.
    min_demand = django_filters.NumberFilter(
        field_name="demand",
        lookup_expr="gte",
        min_value=1,
        max_value=10_000,
        label=gettext_lazy("Min. demand"),
    )
    ordering = NullsLastOrdering(
        fields=(
            ("submitted_at", "submitted_at"),
            ("score", "score"),
            ("rank", "rank"),
            ("lead_time_days", "lead_time_days"),
            ("urgency_order", "urgency"),
            ("created_at", "created_at"),
            ("demand", "demand"),
        )
    )

    class Meta:
        model = DataRequest
        fields: list[str] = []

    def filter_queryset(self, queryset):
        # Ordering by urgency needs the rank annotation before the ordering filter runs.
        if "urgency_order" not in queryset.query.annotations:
            queryset = queryset.annotate(urgency_order=URGENCY_ORDER)
        return super().filter_queryset(queryset)

    def filter_requester(self, queryset, name, value):
        if not value:
            return queryset
        if value == "me":
            user = getattr(self.request, "user", None)
            if not user or not user.is_authenticated:
                return queryset.none()
            return queryset.filter(requester=user)
        return queryset.filter(requester__username=value)

    def filter_triage_overdue(self, queryset, name, value):
        if value in ("", None):
            return queryset
        overdue = selectors.triage_overdue_condition()
        return queryset.filter(overdue) if value == "true" else queryset.exclude(overdue)

    def filter_carried_over_from(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(selectors.carried_over_condition(value))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(business_need__icontains=value)
        )


class CycleFilter(FilterSet):
    """Cycle list ordering: by start (default), deadline, end or name."""

    ordering = OrderingFilter(
        fields=(
            ("starts_on", "starts_on"),
            ("request_deadline", "request_deadline"),
            ("ends_on", "ends_on"),
            ("name", "name"),
        )
    )

    class Meta:
        model = RoadmapCycle
        fields: list[str] = []
