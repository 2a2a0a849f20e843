"""Filing and editing a request (the requester's side, before the producer decides)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from core.errors import NotPermitted, TransitionNotAllowed
from products import access
from products.models import Domain
from requests_app import lifecycle
from requests_app.models import DataRequest, RequestEvent
from requests_app.services.closed_cycles import check_cycle_open
from requests_app.services.common import (
    check_version,
    clean_request_texts,
    lock_request,
    record_event,
    submission_facts,
    validate_for_submit,
    validate_links,
)
from requests_app.services.demand import demand_recount
from requests_app.services.rules import (
    EDITABLE_FIELDS,
)
from requests_app.services.transitions import request_submit

S = DataRequest.Status


def _default_requesting_domain(actor) -> Domain | None:
    """The team asking, when the actor belongs to exactly one domain."""
    team = access.domain_ids(actor)[1]
    return Domain.objects.get(pk=next(iter(team))) if len(team) == 1 else None


def check_requesting_domain(domain: Domain | None, actor) -> None:
    """A request is filed on behalf of one of the actor's own domains (staff: any), as the
    filing page offers: nobody speaks for another team's demand."""
    if domain is None or actor.is_staff:
        return
    team = access.domain_ids(actor)[1]
    if domain.pk in team:
        return
    own = Domain.objects.filter(pk__in=team).order_by("slug").values_list("slug", flat=True)
    slugs = ", ".join(own[:20]) or "none (ask a lead to add you)"
    raise ValidationError(
        {
            "requesting_domain": (
                f"You can file only on behalf of a domain you belong to, not {domain.slug}. "
                f"Your domains: {slugs}."
            )
        }
    )


@transaction.atomic
def request_create(*, actor, submit: bool = False, **fields: Any) -> DataRequest:
    """File a request as ``actor`` (any signed-in user); a draft unless ``submit`` is true."""
    if not actor or not actor.is_authenticated:
        raise NotPermitted("Sign in to file a request.")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({f: "This field cannot be set when filing." for f in unknown})
    data_request = DataRequest(requester=actor, status=S.DRAFT)
    for name, value in fields.items():
        setattr(data_request, name, value)
    if data_request.requesting_domain_id is None:
        data_request.requesting_domain = _default_requesting_domain(actor)
    check_requesting_domain(fields.get("requesting_domain"), actor)
    clean_request_texts(data_request)
    if not data_request.title:
        raise ValidationError({"title": "Give the request a short title."})
    check_cycle_open(data_request.needed_by_cycle, actor=actor, field="needed_by_cycle")
    validate_links(data_request)
    data_request.full_clean(exclude=["requester"])
    data_request.save()
    data_request.watchers.add(actor)
    record_event(data_request, actor=actor, kind=RequestEvent.Kind.CREATED, to_status=S.DRAFT)
    if submit:
        data_request = request_submit(data_request=data_request, actor=actor)
    return data_request


def request_check_editable(*, data_request: DataRequest, actor) -> None:
    """The edit rule: the requester (or staff) edits while the request is a draft or submitted.
    Raises `TransitionNotAllowed` (400) once it left those states, else `NotPermitted` (403)."""
    if lifecycle.can_edit(actor, data_request):
        return
    if data_request.status not in lifecycle.EDITABLE_STATES:
        raise TransitionNotAllowed(
            f"{data_request.key} is {data_request.get_status_display().lower()}: it can no "
            "longer be edited. Add a comment instead.",
            allowed_actions=lifecycle.allowed_actions(actor, data_request),
        )
    raise NotPermitted(f"Only the requester (or staff) may edit {data_request.key}.")


@transaction.atomic
def request_update(
    *, data_request: DataRequest, actor, version: int | None = None, **fields: Any
) -> DataRequest:
    """Edit what the requester asked for; only while draft or submitted (then they comment)."""
    data_request = lock_request(data_request)
    check_version(data_request, version)
    request_check_editable(data_request=data_request, actor=actor)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({f: "This field cannot be edited." for f in unknown})
    changed = {}
    for name, value in fields.items():
        before = getattr(data_request, name)
        if before != value:
            setattr(data_request, name, value)
            changed[name] = str(value) if value is not None else None
    if not changed:
        return data_request
    if "requesting_domain" in changed:
        check_requesting_domain(fields["requesting_domain"], actor)
    clean_request_texts(data_request)
    if "needed_by_cycle" in changed:
        check_cycle_open(data_request.needed_by_cycle, actor=actor, field="needed_by_cycle")
    validate_links(data_request)
    if data_request.status == S.SUBMITTED:
        validate_for_submit(data_request)
        data_request.is_late, data_request.lead_time_days = submission_facts(data_request)
    data_request.full_clean(exclude=["requester"])
    data_request.version = F("version") + 1
    data_request.save()
    data_request.refresh_from_db()
    if "requesting_domain" in changed:
        demand_recount(data_request)
    record_event(
        data_request, actor=actor, kind=RequestEvent.Kind.EDITED, data={"fields": sorted(changed)}
    )
    return data_request
