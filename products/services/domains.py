"""Domains: staff create them; leads edit their contact details, webhook and capacity."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext

from core import outbound
from core.errors import NotPermitted
from products import access
from products.models import (
    Domain,
)
from products.services.rules import (
    DOMAIN_LEAD_FIELDS,
    DOMAIN_STAFF_FIELDS,
    check_staff,
    reject_unknown,
    require_signed_in,
    unique_slug,
    validate_fields,
)


def _ensure_webhook_secret(domain: Domain) -> None:
    """Webhooks are always signed: a domain with a webhook URL and no secret gets a random one
    (clearing the secret therefore rotates it). Leads read it on the domain page to verify."""
    if domain.webhook_url and not domain.webhook_secret:
        domain.webhook_secret = secrets.token_urlsafe(32)
    _check_webhook_destination(domain)


def _check_webhook_destination(domain: Domain) -> None:
    """A webhook goes only to a public host: never loopback, private, link-local (metadata)
    or reserved addresses (checked again at each send, core.outbound)."""
    if not domain.webhook_url:
        return
    try:
        outbound.check_url(domain.webhook_url)
    except outbound.UnsafeDestination as exc:
        raise ValidationError({"webhook_url": str(exc)}) from exc


def domain_check_create(*, actor) -> None:
    """Only staff create domains; doors call this before parsing input, so a refusal is a 403
    and never a validation error that would describe what the caller may not do."""
    check_staff(actor, "create domains")


@transaction.atomic
def domain_create(
    *,
    actor,
    name: str,
    slug: str = "",
    leads: Iterable = (),
    members: Iterable = (),
    **fields: Any,
) -> Domain:
    """Staff open a producing domain (slug made from the name when blank, unique)."""
    domain_check_create(actor=actor)
    reject_unknown(fields, DOMAIN_LEAD_FIELDS)
    domain = Domain(name=(name or "").strip(), **fields)
    if not domain.name:
        raise ValidationError({"name": gettext("Give the domain a name.")})
    if Domain.objects.filter(name__iexact=domain.name).exists():
        raise ValidationError(
            {
                "name": gettext("A domain called %(name)s already exists.")
                % {"name": repr(domain.name)}
            }
        )
    domain.slug = slugify(slug) if slug else unique_slug(Domain, domain.name)
    if Domain.objects.filter(slug=domain.slug).exists():
        raise ValidationError(
            {
                "slug": gettext("The slug %(slug)s is taken by another domain.")
                % {"slug": repr(domain.slug)}
            }
        )
    _ensure_webhook_secret(domain)
    validate_fields(domain)
    domain.save()
    domain.leads.set(leads)
    domain.members.set(members)
    return domain


@transaction.atomic
def domain_update(*, domain: Domain, actor, **fields: Any) -> Domain:
    """Staff edit anything; a lead edits their own domain's description, contact, webhook and
    capacity (not its name, slug or people)."""
    require_signed_in(actor)
    reject_unknown(fields, DOMAIN_STAFF_FIELDS)
    if not access.is_staff(actor):
        if not access.is_lead(actor, domain):
            raise NotPermitted(
                gettext("Only leads of %(domain)s (or staff) may edit it.") % {"domain": domain}
            )
        staff_only = sorted(set(fields) - DOMAIN_LEAD_FIELDS)
        if staff_only:
            raise NotPermitted(
                gettext(
                    "Only staff may change a domain's %(join)s; leads edit its description, contact, webhook and capacity."
                )
                % {"join": ", ".join(staff_only)}
            )
    domain = Domain.objects.select_for_update().get(pk=domain.pk)
    people = {k: fields.pop(k) for k in ("leads", "members") if k in fields}
    for name, value in fields.items():
        setattr(domain, name, value.strip() if isinstance(value, str) else value)
    if "name" in fields:
        if not domain.name:
            raise ValidationError({"name": gettext("Give the domain a name.")})
        if Domain.objects.filter(name__iexact=domain.name).exclude(pk=domain.pk).exists():
            raise ValidationError(
                {
                    "name": gettext("A domain called %(name)s already exists.")
                    % {"name": repr(domain.name)}
                }
            )
    if "slug" in fields:
        domain.slug = slugify(domain.slug) or unique_slug(Domain, domain.name, exclude_pk=domain.pk)
        if Domain.objects.filter(slug=domain.slug).exclude(pk=domain.pk).exists():
            raise ValidationError(
                {
                    "slug": gettext("The slug %(slug)s is taken by another domain.")
                    % {"slug": repr(domain.slug)}
                }
            )
    _ensure_webhook_secret(domain)
    validate_fields(domain)
    domain.save()
    for name, users in people.items():
        getattr(domain, name).set(users)
    if people:
        access.forget(actor)
    return domain
