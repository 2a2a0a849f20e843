"""Home-page sections contributed by the catalog."""

from __future__ import annotations

from core.home import home_section
from products import access, selectors


@home_section(order=50)
def your_domains(user) -> dict | None:
    """ "Your domains": the domains the user leads or belongs to, with their product counts."""
    domains = list(selectors.domains_of(user))
    if not domains:
        return None
    return {
        "template": "products/partials/home_domains.html",
        "domains": domains,
        "led": access.domain_ids(user)[0],
    }
