"""On PostgreSQL the review's medians pass also groups the delivered requests by (domain,
product): its medians and its products table equal those of the portable path (medians per
level, the products' own grouped query) on varied data."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection
from django.db.models import DurationField, ExpressionWrapper, F

from products.models import DataProduct
from requests_app.models import DataRequest
from review.aggregates import medians, medians_with_items
from review.tables import DELIVERED_PRODUCT, domain_catalog, product_table
from tests import factories

pytestmark = pytest.mark.django_db

S = DataRequest.Status
START = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
VALUES = {
    "lead_time": "lead_time_days",
    "time_to_triage": ExpressionWrapper(
        F("triaged_at") - F("submitted_at"), output_field=DurationField()
    ),
}


def varied_cycle(seed: int):
    """A cycle with requests of every status, some without a producing domain, lead times and
    triage times of all sorts (some missing), and deliveries spread over products registered
    before, between and after the requests' submissions."""
    rng = random.Random(seed)
    cycle = factories.CycleFactory(starts_on=dt.date(2027, 4, 1))
    domains = [factories.DomainFactory() for _ in range(4)]
    products = [factories.DataProductFactory(domain=rng.choice(domains)) for _ in range(6)]
    for product in products:  # registered at various times around the submissions
        DataProduct.objects.filter(pk=product.pk).update(
            created_at=START + dt.timedelta(days=rng.randrange(-20, 120))
        )
    requester = factories.UserFactory()
    rows = []
    for i in range(rng.randrange(60, 160)):
        status = rng.choice([s for s in S.values if s != S.DRAFT])
        submitted = START + dt.timedelta(days=rng.randrange(100), seconds=rng.randrange(86400))
        triaged = (
            submitted + dt.timedelta(hours=rng.randrange(1, 400))
            if status != S.SUBMITTED and rng.random() < 0.9
            else None
        )
        rows.append(
            DataRequest(
                title=f"r{i}",
                requester=requester,
                requesting_domain=rng.choice(domains),
                target_domain=rng.choice([*domains, None]) if i % 7 else domains[0],
                needed_by_cycle=cycle,
                status=status,
                submitted_at=submitted,
                triaged_at=triaged,
                is_late=rng.random() < 0.3,
                lead_time_days=rng.choice([None, *range(-10, 120)]),
                delivered_product=(
                    rng.choice([None, *products]) if status == S.DELIVERED else None
                ),
            )
        )
    DataRequest.objects.bulk_create(rows)
    return cycle


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_one_pass_finds_the_medians_and_products_of_the_portable_path(seed):
    if connection.vendor != "postgresql":
        pytest.skip(
            "the one pass is PostgreSQL's (GROUPING SETS); elsewhere it is the portable path"
        )
    cycle = varied_cycle(seed)
    in_cycle = DataRequest.objects.filter(needed_by_cycle=cycle, submitted_at__isnull=False)
    grouped, total, delivered = medians_with_items(
        in_cycle,
        values=VALUES,
        by="target_domain",
        item="delivered_product",
        item_when=DELIVERED_PRODUCT,
        first="submitted_at",
    )
    assert delivered  # the pass counted the deliveries itself
    assert grouped == medians(in_cycle, values=VALUES, by="target_domain")
    assert total == medians(in_cycle, values=VALUES)[None]
    catalog = domain_catalog(cycle)
    one_pass = product_table(in_cycle, catalog, delivered)
    portable = product_table(in_cycle, catalog, None)
    assert one_pass == portable
    assert portable[1]["all"][0] > 1  # several products, ...
    assert portable[1]["all"][1] > 0  # ... some created for the cycle
