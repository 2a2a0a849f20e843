"""factory_boy factories for every model the tests build."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from products.models import DataProduct, Domain, OutputPort
from requests_app.models import Comment, DataRequest, RoadmapCycle


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("pw-upstream-1")


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Domain
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Domain {n}")
    slug = factory.Sequence(lambda n: f"domain-{n}")
    description = "A producing domain."
    contact_email = factory.LazyAttribute(lambda d: f"{d.slug}@example.com")
    default_capacity = 20


class DataProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataProduct

    domain = factory.SubFactory(DomainFactory)
    name = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    description = "Data shared by default."
    status = DataProduct.Status.SHARED
    classification = DataProduct.Classification.INTERNAL


class OutputPortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutputPort

    product = factory.SubFactory(DataProductFactory)
    kind = OutputPort.Kind.TABLE
    location = factory.Sequence(lambda n: f"warehouse.schema.table_{n}")


class CycleFactory(factory.django.DjangoModelFactory):
    """A quarter starting ``starts_on`` (default: the first of next year's January + n quarters)."""

    class Meta:
        model = RoadmapCycle
        django_get_or_create = ("slug",)

    starts_on = factory.Sequence(lambda n: dt.date(2027 + n // 4, 1 + 3 * (n % 4), 1))
    name = factory.LazyAttribute(
        lambda c: f"{c.starts_on.year}-Q{(c.starts_on.month - 1) // 3 + 1}"
    )
    slug = factory.LazyAttribute(lambda c: c.name.lower())
    ends_on = factory.LazyAttribute(
        lambda c: (
            dt.date(
                c.starts_on.year + (c.starts_on.month + 3 > 12), (c.starts_on.month + 2) % 12 + 1, 1
            )
            - dt.timedelta(days=1)
        )
    )
    request_deadline = factory.LazyAttribute(lambda c: c.starts_on - dt.timedelta(days=45))
    review_on = factory.LazyAttribute(lambda c: c.ends_on - dt.timedelta(days=7))


class DataRequestFactory(factory.django.DjangoModelFactory):
    """A draft request; pass ``status`` and timestamps to build other states directly."""

    class Meta:
        model = DataRequest

    title = factory.Sequence(lambda n: f"Need data set {n}")
    description = "Rows per day with the fields we need."
    business_need = "Lets us ship the feature."
    requester = factory.SubFactory(UserFactory)
    target_domain = factory.SubFactory(DomainFactory)
    needed_by_cycle = factory.SubFactory(CycleFactory)
    urgency = DataRequest.Urgency.MEDIUM
    status = DataRequest.Status.DRAFT


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    request = factory.SubFactory(DataRequestFactory)
    author = factory.SubFactory(UserFactory)
    body = "Looks useful."
