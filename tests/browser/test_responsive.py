"""At a phone's width (390 px) and a laptop's (1280 px) no main page scrolls sideways: wide tables
scroll inside their own box, secondary columns hide, long words wrap, so the page fits the screen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from products.models import DataProduct, OutputPort, ProductConsumer, Tag
from requests_app import services
from requests_app.models import DataRequest
from tests import factories
from tests.requests_app.conftest import make_cycle
from tests.review.review_fixture import build_review_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [390, 1280]
LONG_WORD = "warehouse.payments_curated.refund_events_by_merchant_and_reason_code_" * 3
# For the failure message: the outermost elements that stick out past the screen's right edge.
STICKING_OUT = """() => [...document.querySelectorAll("body *")].filter((el) =>
  el.getBoundingClientRect().right > innerWidth + 0.5
  && el.parentElement.getBoundingClientRect().right <= innerWidth + 0.5
).slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${el.className} (${el.getBoundingClientRect().right | 0} px)`)"""


@pytest.fixture
def world(lead, requester, settings):
    """The review's cycle (every status, three domains) plus a product and a request with the
    long names, ports, tags, consumers and comments real pages carry."""
    settings.TRIAGE_SLA_WORKING_DAYS = 5
    world = build_review_world()
    make_cycle("2031-Q1", deadline_in_days=20)
    world.payments.contact_email = "payments.data.platform.team@example.com"
    world.payments.description = "Card payments, refunds and chargebacks across every market."
    world.payments.save()
    product = factories.DataProductFactory(
        domain=world.payments,
        name="Refund events per merchant and reason code",
        description="Every refund with its merchant, amount, currency and reason code.",
        status=DataProduct.Status.PRODUCT,
        classification=DataProduct.Classification.CONFIDENTIAL,
        contains_pii=True,
        support_contact="#payments-data-platform-support",
        freshness_sla_hours=24,
    )
    for kind in OutputPort.Kind.values:
        factories.OutputPortFactory(
            product=product, kind=kind, location=f"warehouse.payments_curated.refund_events_{kind}"
        )
    product.tags.set(Tag.objects.create(name=n) for n in ("refunds", "merchants", "chargebacks"))
    product.schema = "merchant_id bigint, amount_minor bigint, currency char(3), reason_code text"
    product.save()
    ProductConsumer.objects.create(
        product=product,
        domain=world.search,
        since=dt.date(2027, 1, 1),
        use_case="Ranks merchants by refund rate in search results.",
    )
    filed = services.request_create(
        actor=requester,
        submit=True,
        title="Refund events per merchant with reason codes and chargeback links",
        description="Daily refunds per merchant: `merchant_id`, `amount_minor`, `reason_code`.",
        business_need="Chargeback forecasting for the 2031-Q1 risk model.",
        target_domain=world.payments,
        data_product=product,
        needed_by_cycle=world.q3,
        urgency=DataRequest.Urgency.HIGH,
    )
    services.comment_create(
        data_request=filed,
        author=lead,
        body="@pm which warehouse.payments_curated table do you read?",
    )
    factories.DataRequestFactory(
        title=LONG_WORD[:200],
        target_domain=world.payments,
        needed_by_cycle=world.q3,
        status=DataRequest.Status.SUBMITTED,
        business_need=LONG_WORD,
    )
    return {"product": product, "request": filed, **vars(world)}


def main_pages(world) -> list[str]:
    payments, cycle = world["payments"], world["cycle"]
    return [
        reverse("home"),
        reverse("products:domain-list"),
        reverse("products:domain-detail", args=[payments.slug]),
        reverse("products:product-list"),
        reverse("products:product-detail", args=[world["product"].pk]),
        reverse("products:product-create"),
        reverse("requests_app:request-list"),
        reverse("requests_app:request-detail", args=[world["request"].pk]),
        reverse("requests_app:request-create"),
        reverse("requests_app:cycle-list"),
        reverse("requests_app:cycle-detail", args=[cycle.slug]),
        reverse("review:cycle-review", args=[cycle.slug]),
        reverse("requests_app:board", args=[payments.slug]) + f"?cycle={cycle.slug}",
        reverse("requests_app:board-score", args=[payments.slug, world["request"].pk])
        + f"?cycle={cycle.slug}",
        reverse("requests_app:triage-inbox", args=[payments.slug]),
        reverse("notifications:inbox"),
        reverse("notifications:preferences"),
        reverse("accounts:profile"),
        reverse("requests_app:search") + "?q=refund",
        reverse("requests_app:roadmap"),
        reverse("requests_app:request-list") + "?status=submitted&urgency=high",
    ]


def test_no_main_page_scrolls_sideways_on_a_phone_or_a_laptop(world, browser_page, login_as, lead):
    page = login_as(browser_page, lead)
    too_wide = {}
    for viewport_width in WIDTHS:
        page.set_viewport_size({"width": viewport_width, "height": 800})
        for path in [*main_pages(world), "/no-such-page/"]:
            response = page.goto(page.live_url(path))
            assert response.status == (404 if path == "/no-such-page/" else 200), path
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > viewport_width:
                too_wide[f"{viewport_width}:{path}"] = (width, page.evaluate(STICKING_OUT))
    assert too_wide == {}, f"pages wider than the screen: {too_wide}"
    assert page.console_errors == []
