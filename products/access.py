"""Who may do what in the catalog: staff manage domains; a domain's leads and members manage its
data products; leads edit their own domain's contact details; everyone signed in reads.

Services call these to check the actor; pages and serializers call them only to decide which
buttons to show. The actor's domains are read once and cached on the user object (the same cache
`requests_app.lifecycle.roles_of` fills), so a list of 50 products costs no query per row.
"""

from __future__ import annotations

from products.models import Domain


def domain_ids(user) -> tuple[set[int], set[int]]:
    """(domains ``user`` leads, domains ``user`` leads or belongs to), read once per user object."""
    if user is None or not user.is_authenticated:
        return set(), set()
    cache = getattr(user, "_upstream_domains", None)
    if cache is None:
        led = set(user.led_domains.values_list("pk", flat=True))
        member = set(user.member_domains.values_list("pk", flat=True))
        cache = (led, member | led)
        user._upstream_domains = cache
    return cache


def forget(user) -> None:
    """Drop the cached domains (after the user's memberships changed)."""
    if user is not None and hasattr(user, "_upstream_domains"):
        del user._upstream_domains


def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_staff)


def is_lead(user, domain: Domain | int | None) -> bool:
    domain_id = getattr(domain, "pk", domain)
    return domain_id is not None and domain_id in domain_ids(user)[0]


def can_manage_products(user, domain: Domain | int | None) -> bool:
    """Leads and members of ``domain`` (and staff) publish and edit its data products."""
    domain_id = getattr(domain, "pk", domain)
    return is_staff(user) or (domain_id is not None and domain_id in domain_ids(user)[1])


def can_edit_domain(user, domain: Domain) -> bool:
    """Staff edit any domain; a lead edits their own domain's description, contact and capacity."""
    return is_staff(user) or is_lead(user, domain)
