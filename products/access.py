"""Who may do what in the catalog: staff manage domains; a domain's leads and members manage its
data products; leads edit their own domain's contact details; everyone signed in reads.

Services call these to check the actor; pages and serializers call them only to decide which
buttons to show. The actor's domains are read by `domain_ids`, the one place that reads them (requests'
roles use it too), once per user object, so a list of 50 products costs no query per row.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, OuterRef, Value

from products.models import Domain


def domain_ids(user) -> tuple[set[int], set[int]]:
    """(domains ``user`` leads, domains ``user`` leads or belongs to), read once per user object."""
    if user is None or not user.is_authenticated:
        return set(), set()
    cache = getattr(user, "_upstream_domains", None)
    if cache is None:
        cache = _read_domain_ids(user)
        user._upstream_domains = cache
    return cache


def _read_domain_ids(user) -> tuple[set[int], set[int]]:
    """One query: the user's lead rows and member rows together."""

    def side(through, is_lead: bool):
        return through.objects.filter(user=user).values_list(
            "domain_id", Value(is_lead, output_field=BooleanField())
        )

    rows = side(Domain.leads.through, True).union(side(Domain.members.through, False), all=True)
    led, team = set(), set()
    for domain_id, is_lead in rows:
        team.add(domain_id)
        if is_lead:
            led.add(domain_id)
    return led, team


def domain_ids_alongside(user_path: str) -> dict:
    """PostgreSQL: annotations reading the domains of the user at ``user_path`` as two arrays
    (``_led``, ``_team``), for a query that reads the user anyway (the API token lookup): the
    request then needs no query of its own for them. Elsewhere, none (`domain_ids` reads them)."""
    if connection.vendor != "postgresql":
        return {}
    from django.contrib.postgres.expressions import ArraySubquery

    def side(through):
        return ArraySubquery(
            through.objects.filter(user_id=OuterRef(user_path)).values("domain_id")
        )

    return {"_led": side(Domain.leads.through), "_team": side(Domain.members.through)}


def remember_domain_ids(user, row) -> None:
    """Keep on ``user`` the domains read by `domain_ids_alongside` into ``row``, if it read them."""
    if hasattr(row, "_led"):
        led = set(row._led)
        user._upstream_domains = (led, led | set(row._team))


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
