"""Writes on subscriptions: create (answers the secret, once), update, delete, send a test
event. A domain's leads manage its subscriptions; staff manage all, and alone may subscribe
to every domain at once. Each service checks the actor itself."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import outbound
from core.errors import NotPermitted
from notifications.channels.formats import render
from notifications.models import Subscription
from notifications.subscriptions import crypto, envelope, sender
from products import access
from products.models import Domain
from products.services.domains import domain_update

EVENTS = set(Subscription.Event.values)
MAX_PER_DOMAIN = 25


def can_manage(actor, domain: Domain | None) -> bool:
    """Staff manage every subscription; a lead manages their domain's."""
    return access.is_staff(actor) or (domain is not None and access.is_lead(actor, domain))


def check_can_manage(actor, domain: Domain | None) -> None:
    if not can_manage(actor, domain):
        if domain is None:
            raise NotPermitted(_("Only staff subscribe to every domain; choose your domain."))
        raise NotPermitted(
            _("Only %(domain)s's leads (or staff) manage its subscriptions.") % {"domain": domain}
        )


def _clean(*, url: str, format: str, events: list[str]) -> dict:
    errors = {}
    url = (url or "").strip()
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        errors["url"] = [_("Give the receiver's http(s):// address.")]
    else:
        try:  # public hosts only (checked again at each send, on the address connected to)
            outbound.check_url(url)
        except outbound.UnsafeDestination as exc:
            errors["url"] = [str(exc)]
    if format not in Subscription.Format.values:
        errors["format"] = [
            _("Unknown format %(f)r; choose one of %(valid)s.")
            % {"f": format, "valid": ", ".join(Subscription.Format.values)}
        ]
    unknown = sorted(set(events or []) - EVENTS)
    if not events or unknown:
        errors["events"] = [
            _("Choose at least one event kind among %(valid)s%(unknown)s.")
            % {
                "valid": ", ".join(Subscription.Event.values),
                "unknown": f" ({', '.join(unknown)} unknown)" if unknown else "",
            }
        ]
    if errors:
        raise ValidationError(errors)
    ordered = [e for e in Subscription.Event.values if e in set(events)]
    return {"url": url, "format": format, "events": ordered}


@transaction.atomic
def subscription_create(
    *, actor, url: str, format: str, events: list[str], domain: Domain | None = None
) -> tuple[Subscription, str]:
    """Subscribe ``url``; answers the subscription and its signing secret, which is stored
    only encrypted and never shown again."""
    check_can_manage(actor, domain)
    fields = _clean(url=url, format=format, events=events)
    if domain is not None and domain.subscriptions.count() >= MAX_PER_DOMAIN:
        raise ValidationError(
            {"url": _("A domain holds at most %(n)s subscriptions.") % {"n": MAX_PER_DOMAIN}}
        )
    secret = crypto.new_secret()
    subscription = Subscription.objects.create(
        domain=domain, secret_encrypted=crypto.encrypt(secret), created_by=actor, **fields
    )
    return subscription, secret


@transaction.atomic
def subscription_update(
    *,
    subscription: Subscription,
    actor,
    url: str | None = None,
    format: str | None = None,
    events: list[str] | None = None,
    active: bool | None = None,
) -> Subscription:
    """Change the URL, format, events; ``active=True`` resumes a paused subscription."""
    check_can_manage(actor, subscription.domain)
    fields = _clean(
        url=subscription.url if url is None else url,
        format=subscription.format if format is None else format,
        events=subscription.events if events is None else events,
    )
    for name, value in fields.items():
        setattr(subscription, name, value)
    if active is not None and active != subscription.active:
        subscription.active = active
        subscription.paused_reason = "" if active else _("Paused by %(who)s.") % {"who": actor}
        subscription.failing_since = None
    subscription.save()
    return subscription


@transaction.atomic
def subscription_delete(*, subscription: Subscription, actor) -> None:
    """Remove a subscription; its pending deliveries go with it. Deleting the one the v1 domain
    webhook became also clears that URL from the domain, so the v1 path does not resume."""
    check_can_manage(actor, subscription.domain)
    domain = subscription.domain
    if domain is not None and domain.webhook_url and domain.webhook_url == subscription.url:
        domain_update(domain=domain, actor=actor, webhook_url="")
    subscription.delete()


@dataclass(frozen=True)
class TestResult:
    """What the receiver answered a test event (status and body), or why it could not."""

    ok: bool
    status: int | None
    body: str
    error: str = ""


def subscription_send_test(*, subscription: Subscription, actor) -> TestResult:
    """Send a signed `test` event now (not through the outbox: the person waits for the
    answer) and answer what the receiver said. Touches no delivery state."""
    check_can_manage(actor, subscription.domain)
    key = f"test:s{subscription.pk}:{timezone.now().timestamp():.6f}"
    path = "/subscriptions/"
    body = envelope.with_id(
        envelope.build(
            type_="test",
            occurred_at=None,
            message=_("Test event from Upstream: this subscription works."),
            path=path,
        ),
        key,
    )
    try:
        secret = crypto.decrypt(subscription.secret_encrypted)
        answer = sender.post(
            url=subscription.url,
            body=render(subscription.format, body),
            secret=secret,
            key=key,
            event_type="test",
        )
    except crypto.SecretUnreadable as exc:
        return TestResult(False, None, "", str(exc))
    except outbound.UnsafeDestination as exc:
        return TestResult(False, None, "", str(exc)[:500])
    except sender.UNREACHABLE as exc:
        return TestResult(False, None, "", f"{exc.__class__.__name__}: {exc}"[:500])
    return TestResult(answer.ok, answer.status, answer.body)
