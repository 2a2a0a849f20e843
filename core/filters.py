"""Filter building blocks shared by every FilterSet: unknown values answer 400 naming the choices.

django-filter's stock messages ("Select a valid choice") do not say what *is* valid, and its
boolean filter silently ignores values it does not understand. These filters reject bad input
with a message listing the accepted values, for the API (400 through `core.api`) and the pages
(shown next to the filter) alike. Keep this module generic: no app imports.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django_filters import fields as filter_fields
from django_filters import filters

from core.widgets import QuickSelect, QuickSelectMultiple

MAX_LISTED = 40  # a message naming hundreds of slugs helps nobody; say how many more there are


def _listing(values: list[str], total: int | None = None) -> str:
    shown = ", ".join(values[:MAX_LISTED])
    more = (total if total is not None else len(values)) - min(len(values), MAX_LISTED)
    return (
        gettext("%(shown)s (and %(more)s more)") % {"shown": shown, "more": more}
        if more > 0
        else shown
    )


class ValidChoicesMixin:
    """Form-field mixin: replace "not a valid choice" with the list of valid values."""

    invalid_codes = frozenset({"invalid_choice", "invalid_list", "invalid_pk_value"})

    def valid_values(self) -> tuple[list[str], int]:
        values = [str(key) for key, _label in self.choices if key not in ("", None)]
        return values, len(values)

    def clean(self, value):
        try:
            return super().clean(value)
        except ValidationError as exc:
            if getattr(exc, "code", None) not in self.invalid_codes:
                raise
            values, total = self.valid_values()
            params = getattr(exc, "params", None) or {}
            bad = str(params.get("value", params.get("pk", value)))
            raise ValidationError(
                gettext("Unknown value %(value)s. Valid choices: %(choices)s."),
                code="invalid_choice",
                params={"value": repr(bad[:60]), "choices": _listing(values, total) or "none"},
            ) from None


class NamedChoiceField(ValidChoicesMixin, filter_fields.ChoiceField):
    widget = QuickSelect


class NamedMultipleChoiceField(ValidChoicesMixin, filter_fields.MultipleChoiceField):
    widget = QuickSelectMultiple


class _ModelValidChoicesMixin(ValidChoicesMixin):
    def valid_values(self) -> tuple[list[str], int]:
        key = self.to_field_name or "pk"
        qs = self.queryset.order_by(key).values_list(key, flat=True)
        values = [str(v) for v in qs[: MAX_LISTED + 1]]
        total = len(values) if len(values) <= MAX_LISTED else qs.count()
        return values, total


class FetchedModelChoiceIterator(filter_fields.ModelChoiceIterator):
    """The choices read with one statement. Django's iterator reads them through
    ``QuerySet.iterator()``, which on PostgreSQL opens a server-side cursor: DECLARE, FETCH and
    CLOSE, three round trips for the few dozen domains or cycles of a filter's select."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class NamedModelChoiceField(_ModelValidChoicesMixin, filter_fields.ModelChoiceField):
    widget = QuickSelect
    iterator = FetchedModelChoiceIterator


class ChoiceFilter(filters.ChoiceFilter):
    """A choice filter whose error lists the valid values."""

    field_class = NamedChoiceField


class MultipleChoiceFilter(filters.MultipleChoiceFilter):
    """Repeatable choice filter (``?status=a&status=b``); errors list the valid values.

    On a column of the row itself no row can match twice, so no DISTINCT (django-filter adds
    one by default, which makes PostgreSQL sort whole pages, long text included)."""

    field_class = NamedMultipleChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


class SlugChoiceFilter(filters.ModelChoiceFilter):
    """Pick a related object by a unique text field (``?domain=payments``).

    ``to_field_name`` defaults to ``slug``; an unknown value answers 400 listing the valid ones.
    """

    field_class = NamedModelChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)


BOOLEAN_CHOICES = (("true", "Yes"), ("false", "No"))


class StrictBooleanFilter(ChoiceFilter):
    """``true`` or ``false``; anything else answers 400 (django-filter would ignore it)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", BOOLEAN_CHOICES)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in ("", None):
            return qs
        return super().filter(qs, value == "true")


class OrderingCSVField(filter_fields.BaseCSVField):
    """The comma-separated ``?ordering=`` value: an empty term (``,``, ``name,``, ``-``) answers
    400 saying how to write one, instead of reaching the database as an empty field name."""

    def clean(self, value):
        empty_terms = [term for term in value or [] if not str(term).strip().lstrip("-")]
        if empty_terms and value != [""]:  # a bare ``?ordering=`` means the default order
            raise ValidationError(
                gettext(
                    "Empty field name in the ordering. Name one or more fields separated by commas, each optionally prefixed with '-' for descending, e.g. ?ordering=-name,id."
                ),
                code="invalid_ordering",
            )
        return super().clean(value)


class OrderingFilter(filters.OrderingFilter):
    """``?ordering=name`` / ``-name``; unknown fields answer 400; ties broken by id for stable pages."""

    base_field_class = OrderingCSVField
    field_class = NamedChoiceField

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*ordering, "pk")


class SearchInput(forms.TextInput):
    input_type = "search"


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet with its form class built once per class, not per request.

    Stock django-filter builds every filter's form field and a new form class on each request
    (about a millisecond for the request list's fifteen filters, a tenth of the API list). Our
    filters' fields depend on nothing but the class: querysets are static (each form instance
    deep-copies its fields, so no queryset cache is shared) and labels are lazy translations.
    A subclass whose fields depend on the request must override `get_form_class` itself."""

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            cls._form_class = form_class  # built alike by any thread that races here
        return form_class
