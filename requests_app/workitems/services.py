"""Writes on work-item links: link and unlink (the request's team), and the state a tracker
reports (from a verified inbound webhook). Each is atomic and records its RequestEvent."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.errors import NotPermitted
from products import access
from requests_app.models import DataRequest, RequestEvent, WorkItemLink
from requests_app.services.common import record_event
from requests_app.workitems.parsing import parse_url

MAX_LINKS = 20


def check_can_link(actor, data_request: DataRequest) -> None:
    """Leads and members of the target domain (and staff) link and unlink work items."""
    if not access.can_manage_products(actor, data_request.target_domain_id):
        raise NotPermitted(
            _("Only the target domain's leads and members may link work items to %(key)s.")
            % {"key": data_request.key}
        )


@transaction.atomic
def link_create(*, data_request: DataRequest, url: str, actor) -> WorkItemLink:
    """Link the issue at ``url`` to the request; kind and key come from the URL. A second link
    to the same issue answers 400 (nothing is duplicated)."""
    check_can_link(actor, data_request)
    url = (url or "").strip()
    try:
        URLValidator(schemes=["https"])(url)
    except ValidationError:
        raise ValidationError(
            {
                "url": _(
                    "Give the issue's https:// address, e.g. https://github.com/org/repo/issues/12."
                )
            }
        ) from None
    if len(url) > 500:
        raise ValidationError({"url": _("The address is longer than 500 characters.")})
    if data_request.links.count() >= MAX_LINKS:
        raise ValidationError({"url": _("A request holds at most %(n)s links.") % {"n": MAX_LINKS}})
    kind, key = parse_url(url)
    try:
        with transaction.atomic():
            link = WorkItemLink.objects.create(
                request=data_request, url=url, kind=kind, external_key=key, created_by=actor
            )
    except IntegrityError:
        raise ValidationError(
            {"url": _("%(key)s is already linked to this request.") % {"key": key}}
        ) from None
    record_event(
        data_request,
        actor=actor,
        kind=RequestEvent.Kind.LINKED,
        data={"link": link.pk, "kind": kind, "key": key, "url": url},
    )
    return link


@transaction.atomic
def link_delete(*, link: WorkItemLink, actor) -> None:
    """Unlink a work item (the request's team or staff)."""
    data_request = link.request
    check_can_link(actor, data_request)
    data = {"kind": link.kind, "key": link.external_key, "url": link.url}
    link.delete()
    record_event(data_request, actor=actor, kind=RequestEvent.Kind.UNLINKED, data=data)


@transaction.atomic
def links_set_state(*, kind: str, key: str, state: str, source: str = "") -> int:
    """A tracker says issue ``key`` is now ``state``: update every link to it. A link that
    becomes done records `work_item_done` (the domain's leads hear it); a repeated delivery
    changes nothing and tells no one twice. Returns how many links changed."""
    links = list(
        WorkItemLink.objects.select_for_update()
        .select_related("request")
        .filter(kind=kind, external_key=key)
        .exclude(state=state)
    )
    for link in links:
        link.state = state
        link.save(update_fields=["state", "updated_at"])
        if state == WorkItemLink.State.DONE:
            record_event(
                link.request,
                actor=None,
                kind=RequestEvent.Kind.WORK_ITEM_DONE,
                data={"link": link.pk, "kind": kind, "key": key, "url": link.url, "source": source},
            )
    return len(links)
