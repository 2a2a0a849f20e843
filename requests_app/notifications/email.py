"""Email through Django's email framework: plain text and HTML, with a link back.

Every email carries a Message-ID derived from what it delivers (the row's dedupe_key, or a
digest's rows), so a send repeated after a crash is the same message to mail systems and
clients, which drop a repeated Message-ID: the email's idempotency key.
"""

from __future__ import annotations

import hashlib
import smtplib
from collections.abc import Iterable
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from requests_app.models import Notification
from requests_app.notifications.base import Channel, ChannelError

# Django's SMTP backend waits forever by default; a stuck mail server must fail the send (and
# retry it) well inside the delivery task's time limit. EMAIL_TIMEOUT, when set, wins.
SMTP_TIMEOUT_SECONDS = 10


def connection():
    """A mail connection from the configured backend, with a timeout."""
    return get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or SMTP_TIMEOUT_SECONDS)


def message_id(*keys: str) -> str:
    """A stable RFC 5322 Message-ID for the given idempotency key(s): the same keys always
    give the same id (a hash, because dedupe keys hold characters a Message-ID cannot)."""
    digest = hashlib.sha256("\n".join(keys).encode()).hexdigest()[:40]
    host = urlparse(settings.SITE_URL).hostname or "upstream.invalid"
    return f"<notification.{digest}@{host}>"


def digest_message_id(*, user_id: int, mode: str, dedupe_keys: Iterable[str]) -> str:
    """The Message-ID of a digest: resending the same rows gives the same id."""
    return message_id(f"digest:{mode}:u{user_id}", *sorted(dedupe_keys))


def link_for(notification: Notification) -> str:
    path = notification.payload.get("path") or "/inbox/"
    return f"{settings.SITE_URL}{path}"


def preferences_link() -> str:
    """Where a recipient changes how they hear from Upstream (every email's footer)."""
    return f"{settings.SITE_URL}{reverse('requests_app:preferences')}"


class EmailChannel(Channel):
    kind = Notification.Channel.EMAIL

    def send(self, notification: Notification) -> None:
        user = notification.recipient
        if user is None or not user.email:
            raise ChannelError("The recipient has no email address.", permanent=True)
        context = {
            "notification": notification,
            "user": user,
            "link": link_for(notification),
            "preferences_link": preferences_link(),
        }
        message = EmailMultiAlternatives(
            subject=f"[Upstream] {notification.message}"[:200],
            body=render_to_string("requests_app/email/notification.txt", context),
            to=[user.email],
            headers={
                "Message-ID": message_id(notification.dedupe_key),
                "X-Upstream-Notification": notification.dedupe_key,
            },
            connection=connection(),
        )
        message.attach_alternative(
            render_to_string("requests_app/email/notification.html", context), "text/html"
        )
        try:
            message.send(fail_silently=False)
        except OSError as exc:  # SMTP errors are OSError subclasses
            raise ChannelError(
                f"Email not accepted: {exc}", permanent=_refused_for_good(exc)
            ) from exc


def _refused_for_good(exc: OSError) -> bool:
    """A 5xx answer (no such mailbox, policy) will not change on retry; 4xx and network errors
    may, so they are retried with backoff."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False
