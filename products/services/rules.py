"""The catalog's rules, pure (no database writes; the admin form runs them too): governance by
status, the forward-only status order, who may do what, and the fields each door may set."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext

from core.errors import NotPermitted, TransitionNotAllowed
from products import access
from products.models import (
    DataProduct,
    Domain,
)

S = DataProduct.Status


STATUS_ORDER: tuple[str, ...] = (S.SHARED, S.INCUBATING, S.PRODUCT, S.DEPRECATED)


DOMAIN_LEAD_FIELDS = frozenset(
    {"description", "contact_email", "webhook_url", "webhook_secret", "default_capacity"}
)


DOMAIN_STAFF_FIELDS = DOMAIN_LEAD_FIELDS | {"name", "slug", "leads", "members"}


PRODUCT_FIELDS = frozenset(
    {
        "name",
        "slug",
        "description",
        "classification",
        "contains_pii",
        "schema",
        "freshness_sla_hours",
        "availability_target",
        "support_contact",
        "sunset_on",
        "replacement",
    }
)


PORT_FIELDS = frozenset({"kind", "location", "description"})


def next_statuses(status: str) -> list[str]:
    """Statuses a product in ``status`` may move to: any later one; none once deprecated."""
    if status == S.DEPRECATED:
        return []
    return [str(s) for s in STATUS_ORDER[STATUS_ORDER.index(status) + 1 :]]


def check_status_move(product: DataProduct, to_status: str) -> None:
    """Raise unless ``product`` may go from its current status to ``to_status``."""
    if to_status not in S.values:
        raise ValidationError(
            {
                "status": gettext("Unknown status %(to_status)s. Valid choices: %(join)s.")
                % {"to_status": repr(to_status), "join": ", ".join(S.values)}
            }
        )
    allowed = next_statuses(product.status)
    if to_status not in allowed:
        if product.status == S.DEPRECATED:
            why = gettext("Deprecation is final; publish a new product instead.")
        else:
            why = gettext("Status only moves forward; from here it can become: %(join)s.") % {
                "join": ", ".join(allowed)
            }
        raise TransitionNotAllowed(
            gettext("%(name)s is %(status)s; it cannot become %(to_status)s. %(why)s")
            % {"name": product.name, "status": product.status, "to_status": to_status, "why": why},
            allowed_actions=allowed,
        )


def check_product_rules(product: DataProduct) -> None:
    """Governance for ``product`` in its (possibly new) status; raises ValidationError by field."""
    errors: dict[str, str] = {}
    if product.status == S.PRODUCT:
        if not (product.description or "").strip():
            errors["description"] = gettext(
                "A product needs a description: what the data is and how to use it."
            )
        if not product.classification:
            errors["classification"] = gettext(
                "A product needs a classification (public, internal, confidential or restricted)."
            )
        if not (product.support_contact or "").strip():
            errors["support_contact"] = gettext(
                "A product needs a support contact (a channel or an address) consumers can reach."
            )
        if product.freshness_sla_hours is None:
            errors["freshness_sla_hours"] = gettext(
                "A product needs a freshness SLA (in hours): consumers rely on it. Keep it shared or incubating until you can promise one."
            )
    if product.status == S.DEPRECATED and product.sunset_on is None:
        errors["sunset_on"] = gettext(
            "Deprecating needs a sunset date, so consumers can plan the move."
        )
    if product.replacement_id is not None:
        replacement = product.replacement
        if product.pk is not None and replacement.pk == product.pk:
            errors["replacement"] = gettext("A product cannot replace itself; pick another one.")
        elif replacement.status == S.DEPRECATED:
            errors["replacement"] = gettext(
                "%(replacement)s is deprecated too; point consumers to a live product."
            ) % {"replacement": replacement}
    if product.freshness_sla_hours is not None and product.freshness_sla_hours < 1:
        errors["freshness_sla_hours"] = gettext("The freshness SLA is at least 1 hour.")
    target = product.availability_target
    if target is not None and not (0 < target <= 100):
        errors["availability_target"] = gettext(
            "Availability is a percentage above 0 and at most 100."
        )
    if errors:
        raise ValidationError(errors)


def require_signed_in(actor) -> None:
    if actor is None or not actor.is_authenticated:
        raise NotPermitted(gettext("Sign in first."))


def check_team(actor, domain: Domain, what: str) -> None:
    require_signed_in(actor)
    if not access.can_manage_products(actor, domain):
        raise NotPermitted(
            gettext("Only leads and members of %(domain)s (or staff) may %(what)s.")
            % {"domain": domain, "what": what}
        )


def check_staff(actor, what: str) -> None:
    require_signed_in(actor)
    if not access.is_staff(actor):
        raise NotPermitted(gettext("Only staff may %(what)s.") % {"what": what})


def reject_unknown(fields: dict, allowed: Iterable[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(
            {name: gettext("This field cannot be set here.") for name in sorted(unknown)}
        )


def unique_slug(model, base: str, *, exclude_pk: int | None = None, **scope: Any) -> str:
    base = (slugify(base) or "item")[:70]
    taken = set(
        model.objects.filter(slug__startswith=base, **scope)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def validate_fields(instance, *, exclude: Iterable[str] = ()) -> None:
    """Field formats (lengths, emails, choices); our own messages cover uniqueness."""
    instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)


def tag_names(names: Iterable[str] | str) -> list[str]:
    """Normalize free-typed tags (``"GDPR, click stream"`` → ``["gdpr", "click-stream"]``)."""
    if isinstance(names, str):
        names = names.split(",")
    cleaned: list[str] = []
    for raw in names:
        name = slugify(str(raw))[:40]
        if name and name not in cleaned:
            cleaned.append(name)
    if len(cleaned) > 20:
        raise ValidationError({"tags": gettext("Use at most 20 tags.")})
    return cleaned
