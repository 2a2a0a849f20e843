"""Roles from the identity provider's groups: `upstream:<domain>:lead|member`, `upstream:staff`.

OIDC sign-in and SCIM provisioning both call `roles_apply`; every change writes a `RoleChange`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from accounts.models import RoleChange
from products.models import Domain

logger = logging.getLogger(__name__)

PREFIX = "upstream:"
STAFF_GROUP = "upstream:staff"
_DOMAIN_GROUP = re.compile(r"^upstream:(?P<slug>[-a-zA-Z0-9_]+):(?P<role>lead|member)$")


@dataclass
class WantedRoles:
    """What a set of group names asks for."""

    leads: set[str] = field(default_factory=set)
    members: set[str] = field(default_factory=set)
    staff: bool = False
    unknown: set[str] = field(default_factory=set)


def roles_parse(groups: Iterable[str]) -> WantedRoles:
    """Read group names; names without the `upstream:` prefix are someone else's and ignored."""
    wanted = WantedRoles()
    for raw in groups:
        name = str(raw).strip()
        if name == STAFF_GROUP:
            wanted.staff = True
        elif match := _DOMAIN_GROUP.match(name):
            target = wanted.leads if match["role"] == "lead" else wanted.members
            target.add(match["slug"].lower())
        elif name.startswith(PREFIX):
            wanted.unknown.add(name)
    return wanted


@transaction.atomic
def roles_apply(
    *,
    user: AbstractBaseUser,
    groups: Iterable[str],
    source: str,
    actor: AbstractBaseUser | None = None,
) -> list[RoleChange]:
    """Make ``user``'s domain roles and staff flag exactly what ``groups`` say, adding and
    removing, and audit each change. Unknown domains are logged and ignored. Called by trusted
    code only (the OIDC backend after a verified sign-in, the SCIM views after the bearer check)."""
    wanted = roles_parse(groups)
    for name in sorted(wanted.unknown):
        logger.warning("Ignoring group %r for %s: not an Upstream role group.", name, user)
    domains = {d.slug: d for d in Domain.objects.filter(slug__in=wanted.leads | wanted.members)}
    for slug in sorted((wanted.leads | wanted.members) - domains.keys()):
        logger.warning("Ignoring groups of unknown domain %r for %s.", slug, user)

    changes: list[RoleChange] = []

    def note(action: str, role: str, domain: Domain | None = None) -> None:
        changes.append(
            RoleChange(
                user=user, action=action, role=role, domain=domain, source=source, actor=actor
            )
        )

    for role, manager, wanted_slugs in (
        ("lead", user.led_domains, wanted.leads),
        ("member", user.member_domains, wanted.members),
    ):
        current = {d.slug: d for d in manager.all()}
        to_add = [domains[s] for s in sorted(wanted_slugs & domains.keys()) if s not in current]
        to_remove = [d for s, d in sorted(current.items()) if s not in wanted_slugs]
        if to_add:
            manager.add(*to_add)
        if to_remove:
            manager.remove(*to_remove)
        for domain in to_add:
            note(RoleChange.Action.ADDED, role, domain)
        for domain in to_remove:
            note(RoleChange.Action.REMOVED, role, domain)

    if user.is_staff != wanted.staff:
        user.is_staff = wanted.staff
        user.save(update_fields=["is_staff"])
        note(RoleChange.Action.ADDED if wanted.staff else RoleChange.Action.REMOVED, "staff")

    RoleChange.objects.bulk_create(changes)
    for change in changes:
        logger.info("Role change: %s", change)
    return changes
