"""The shared filter helpers (`core.filters`): unknown values name the valid choices."""

import django_filters
import pytest
from django.http import QueryDict

from core import filters
from products.models import DataProduct, Domain
from tests import factories

pytestmark = pytest.mark.django_db


class RepeatableFilter(django_filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=DataProduct.Status.choices)
    domain = filters.SlugChoiceFilter(queryset=Domain.objects.all())

    class Meta:
        model = DataProduct
        fields: list[str] = []


def run(query: str) -> django_filters.FilterSet:
    filterset = RepeatableFilter(QueryDict(query), queryset=DataProduct.objects.all())
    filterset.is_valid()
    return filterset


@pytest.fixture
def products(target_domain, requesting_domain):
    factories.DataProductFactory(domain=target_domain, name="A", status="shared")
    factories.DataProductFactory(domain=requesting_domain, name="B", status="incubating")


def test_repeated_values_match_any_of_them(products):
    assert run("status=shared&status=incubating").qs.count() == 2
    assert list(run("domain=search").qs.values_list("name", flat=True)) == ["B"]


def test_an_unknown_value_among_repeated_ones_is_named_with_the_valid_choices(products):
    errors = run("status=shared&status=gone").errors["status"]
    assert errors == [
        "Unknown value 'gone'. Valid choices: shared, incubating, product, deprecated."
    ]
    assert run("domain=nowhere").errors["domain"] == [
        "Unknown value 'nowhere'. Valid choices: payments, search."
    ]


def test_a_percent_sign_in_a_bad_value_does_not_break_the_api_message(api_as, requester, products):
    response = api_as(requester).get("/api/v1/data-products/?status=50%25")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("status: Unknown value '50%'.")


def test_a_long_list_of_valid_slugs_is_cut_short(requester):
    for n in range(45):
        factories.DomainFactory(slug=f"d{n:02d}")
    message = run("domain=zzz").errors["domain"][0]
    assert message.endswith("d39 (and 6 more).")  # 45 + search, 40 listed


class CachedFilter(filters.FilterSet):
    domain = filters.SlugChoiceFilter(queryset=Domain.objects.all())

    class Meta:
        model = DataProduct
        fields: list[str] = []


def test_the_form_class_is_built_once_and_no_request_sees_anothers_state(products):
    """Built once per class; each request still validates its own data on its own fields, and
    a domain made after the first request is a valid choice for the next (no cached queryset)."""
    first = CachedFilter(QueryDict("domain=nowhere"), queryset=DataProduct.objects.all())
    assert not first.is_valid()
    factories.DomainFactory(slug="nowhere", name="Nowhere")
    second = CachedFilter(QueryDict("domain=nowhere"), queryset=DataProduct.objects.all())
    assert type(first.form) is type(second.form)
    assert second.is_valid(), second.errors
    assert first.form.fields["domain"] is not second.form.fields["domain"]
    assert "domain" in first.errors
    assert not second.errors
