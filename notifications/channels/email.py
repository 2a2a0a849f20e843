"""Email through Django's email framework: plain text and HTML, with a link back.

Every email carries a Message-ID derived from what it delivers (the row's dedupe_key, or a
digest's rows), so a send repeated after a crash is the same message to mail systems and
clients, which drop a repeated Message-ID: the email's idempotency key.
"""

from __future__ import annotations

import contextlib
import hashlib
import smtplib
from collections.abc import Iterable
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from notifications.channels.base import Channel, ChannelError
from notifications.language import language_of
from notifications.models import Notification

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
    return f"{settings.SITE_URL}{reverse('notifications:preferences')}"


class EmailChannel(Channel):
    """Sends each notification as its own email. Within a batch the sends share one mail
    connection (one SMTP session, not one per message); after a failed send the connection
    is dropped and the next send opens a fresh one, so one bad message never spoils the rest."""

    kind = Notification.Channel.EMAIL

    def __init__(self) -> None:
        self._shared = False  # between open() and close(): reuse one connection
        self._connection = None
        self._preferences_link: str | None = None

    def open(self) -> None:
        self._shared = True

    def close(self) -> None:
        self._shared = False
        self._drop_connection()

    def _drop_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(OSError):  # a broken session: nothing left to release
                connection.close()

    def _mail_connection(self):
        if not self._shared:
            return connection()  # EmailMessage.send opens and closes it
        if self._connection is None:
            self._connection = connection()
            # Opened here, the backend keeps it open across send_messages calls until close().
            self._connection.open()
        return self._connection

    def send(self, notification: Notification) -> None:
        user = notification.recipient
        if user is None or not user.email:
            raise ChannelError("The recipient has no email address.", permanent=True)
        if self._preferences_link is None:
            self._preferences_link = preferences_link()
        context = {
            "notification": notification,
            "user": user,
            "link": link_for(notification),
            "preferences_link": self._preferences_link,
        }
        # The recipient's language, whoever's request caused the delivery.
        with translation.override(language_of(user)):
            message = EmailMultiAlternatives(
                subject=f"[Upstream] {notification.message}"[:200],
                body=render_to_string("notifications/email/notification.txt", context),
                to=[user.email],
                headers={
                    "Message-ID": message_id(notification.dedupe_key),
                    "X-Upstream-Notification": notification.dedupe_key,
                },
            )
            message.attach_alternative(
                render_to_string("notifications/email/notification.html", context), "text/html"
            )
        try:
            message.connection = self._mail_connection()
            message.send(fail_silently=False)
        except OSError as exc:  # SMTP errors are OSError subclasses
            # The session may be broken (or the server gave up on it): start afresh next time.
            self._drop_connection()
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
