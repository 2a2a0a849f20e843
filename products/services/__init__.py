"""Every write on the catalog: one function per use case, atomic, checking the actor's role.

The API, the pages and the admin all call these, so governance holds whichever door is used:
- a `product` has a description, a classification, a support contact and a freshness SLA;
- a `deprecated` product has a sunset date, and its replacement (if any) is another live product;
- status only moves forward (shared → incubating → product → deprecated); deprecated is final;
- a product's slug is unique in its domain (made from the name when left blank);
- staff manage domains; leads edit their own domain's contact details and capacity; leads and
  members of a domain manage its data products.
Role failures raise `NotPermitted` (403), field rules Django's `ValidationError` by field (400),
forbidden status moves `TransitionNotAllowed` (400, naming the statuses still open).

Modules: `rules` (pure checks), `domains`, `catalog` (products, tags, ports), `consumers`.
"""

from products.services.catalog import (
    port_add,
    port_remove,
    port_update,
    product_create,
    product_set_status,
    product_update,
    tag_save,
)
from products.services.consumers import (
    consumer_add,
    consumer_remove,
    consumer_request_create,
    consumer_request_decide,
)
from products.services.domains import domain_check_create, domain_create, domain_update
from products.services.rules import (
    DOMAIN_LEAD_FIELDS,
    DOMAIN_STAFF_FIELDS,
    PORT_FIELDS,
    PRODUCT_FIELDS,
    STATUS_ORDER,
    check_product_rules,
    check_status_move,
    next_statuses,
    tag_names,
)

__all__ = [
    "DOMAIN_LEAD_FIELDS",
    "DOMAIN_STAFF_FIELDS",
    "PORT_FIELDS",
    "PRODUCT_FIELDS",
    "STATUS_ORDER",
    "check_product_rules",
    "check_status_move",
    "consumer_add",
    "consumer_remove",
    "consumer_request_create",
    "consumer_request_decide",
    "domain_check_create",
    "domain_create",
    "domain_update",
    "next_statuses",
    "port_add",
    "port_remove",
    "port_update",
    "product_create",
    "product_set_status",
    "product_update",
    "tag_names",
    "tag_save",
]
