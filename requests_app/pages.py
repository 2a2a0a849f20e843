"""What requests add to the catalog's pages (the catalog never reads requests itself): a domain's
capacity per cycle on its page, and the requests around a data product on the product's page."""

from __future__ import annotations

from core.home import page_context
from requests_app import demand_selectors, selectors
from requests_app.board import selectors as board_selectors


@page_context("domain_detail")
def domain_capacity(*, domain, **_) -> dict:
    """The domain's capacity and committed effort in the current and next cycles."""
    return {"capacity": board_selectors.domain_capacity(domain)}


@page_context("product_detail")
def product_requests(*, product, **_) -> dict:
    """The requests a product delivered, the ones that ask about it, and the open requests it
    may answer (the similarity used while filing, across domains)."""
    return {
        "requests": selectors.product_requests(product),
        "may_answer": demand_selectors.requests_product_may_answer(product=product),
    }
