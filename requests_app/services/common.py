"""What every write on a request shares: the row lock (after its board's), the version check,
the state and role check, the audit event, and the validations of what a request says."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import NotPermitted, StaleVersion, TransitionNotAllowed
from requests_app import events, lifecycle
from requests_app.board.versions import lock_boards
from requests_app.models import DataRequest, RequestEvent
from requests_app.services.rules import MAX_TEXT, MAX_TITLE


def record_event(
    data_request: DataRequest,
    *,
    actor,
    kind: str,
    from_status: str = "",
    to_status: str = "",
    data: dict | None = None,
) -> RequestEvent:
    event = RequestEvent.objects.create(
        request=data_request,
        actor=actor,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        data=data or {},
    )
    events.publish(event)
    return event


def lock_request(data_request: DataRequest) -> DataRequest:
    """Re-read the request under a row lock so concurrent writers serialize on it.

    The target domain's board lock comes first (see `board.versions`): a decision that changes a
    board and a reorder of that board then take their locks in the same order.
    """
    domain_id = (
        DataRequest.objects.filter(pk=data_request.pk)
        .values_list("target_domain_id", flat=True)
        .first()
    )
    lock_boards(domain_id)
    locked = DataRequest.objects.select_for_update().get(pk=data_request.pk)
    if locked.target_domain_id != domain_id:  # re-targeted in between: hold its boards too
        lock_boards(locked.target_domain_id)
    return locked


def check_version(data_request: DataRequest, version: int | None) -> None:
    if version is None:
        return
    try:
        version = int(version)
    except (TypeError, ValueError):
        raise ValidationError(
            {"version": gettext("Give the version you saw, a whole number.")}
        ) from None
    if version != data_request.version:
        raise StaleVersion(
            gettext(
                "%(key)s was changed by someone else (you saw version %(version)s, it is now %(version2)s). Reload it and apply your change again."
            )
            % {"key": data_request.key, "version": version, "version2": data_request.version},
            current_version=data_request.version,
        )


def check_action(data_request: DataRequest, action: str, actor) -> None:
    spec = lifecycle.ACTIONS[action]
    if data_request.status not in spec.sources:
        allowed = lifecycle.allowed_actions(actor, data_request)
        raise TransitionNotAllowed(
            gettext("Cannot %(replace)s %(key)s: it is %(lower)s. ")
            % {
                "replace": action.replace("_", " "),
                "key": data_request.key,
                "lower": data_request.get_status_display().lower(),
            }
            + (
                gettext("You can: %(join)s.") % {"join": ", ".join(allowed)}
                if allowed
                else gettext("No action is open to you in this state.")
            ),
            allowed_actions=allowed,
        )
    if not lifecycle.roles_of(actor, data_request) & spec.roles:
        who = {
            lifecycle.REQUESTER_ROLES: "the requester",
            lifecycle.LEAD_ROLES: f"a lead of {data_request.target_domain}",
            lifecycle.TEAM_ROLES: f"a lead or member of {data_request.target_domain}",
        }[spec.roles]
        raise NotPermitted(
            gettext("Only %(who)s (or staff) may %(replace)s %(key)s.")
            % {"who": who, "replace": action.replace("_", " "), "key": data_request.key}
        )


def open_transition(
    data_request: DataRequest, action: str, actor, version: int | None
) -> DataRequest:
    """The opening every transition shares, in this order: lock the request (after its board),
    check the version the caller saw (409), the state machine (400) and the actor's role (403).
    Returns the locked, fresh row."""
    data_request = lock_request(data_request)
    check_version(data_request, version)
    check_action(data_request, action, actor)
    return data_request


def submission_facts(data_request: DataRequest) -> tuple[bool | None, int | None]:
    """Early/late and lead time, from the submission's local date and the needed-by cycle."""
    if not (data_request.submitted_at and data_request.needed_by_cycle_id):
        return None, None
    cycle = data_request.needed_by_cycle
    submitted_on = timezone.localdate(data_request.submitted_at)
    return submitted_on > cycle.request_deadline, (cycle.starts_on - submitted_on).days


def clean_text(value: Any, field: str, limit: int) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if len(text) > limit:
        raise ValidationError(
            {
                field: gettext("Keep it under %(limit)s characters (it has %(len)s).")
                % {"limit": limit, "len": len(text)}
            }
        )
    return text


def validate_for_submit(data_request: DataRequest) -> None:
    errors: dict[str, str] = {}
    if not data_request.title.strip():
        errors["title"] = gettext("Give the request a short title.")
    if not data_request.business_need.strip():
        errors["business_need"] = gettext(
            "Say why you need this data (the decision or feature it enables), so the domain can prioritize it."
        )
    if not data_request.target_domain_id:
        errors["target_domain"] = gettext("Choose the producing domain you are asking.")
    if not data_request.needed_by_cycle_id:
        errors["needed_by_cycle"] = gettext("Choose the cycle by which you need the data.")
    if errors:
        raise ValidationError(errors)


def validate_links(data_request: DataRequest) -> None:
    if (
        data_request.data_product_id
        and data_request.target_domain_id
        and data_request.data_product.domain_id != data_request.target_domain_id
    ):
        raise ValidationError(
            {
                "data_product": gettext(
                    "%(data_product)s belongs to %(domain)s, not to %(target_domain)s. Pick one of the target domain's products."
                )
                % {
                    "data_product": data_request.data_product,
                    "domain": data_request.data_product.domain,
                    "target_domain": data_request.target_domain,
                }
            }
        )


def clean_request_texts(data_request: DataRequest) -> None:
    """The title is trimmed and at most `MAX_TITLE` characters; the description and business
    need are at most `MAX_TEXT` (kept as written: Markdown may start with spaces)."""
    data_request.title = clean_text(data_request.title, "title", MAX_TITLE)
    for field in ("description", "business_need"):
        text = getattr(data_request, field) or ""
        if len(text) > MAX_TEXT:
            raise ValidationError(
                {
                    field: gettext("Keep it under %(max_text)s characters (it has %(len)s).")
                    % {"max_text": format(MAX_TEXT, ","), "len": format(len(text), ",")}
                }
            )
