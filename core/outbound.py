"""Outbound HTTP to addresses users typed in (webhooks): never into our own network, never
longer than a short deadline, never more than a bounded answer.

A URL a domain lead saves could name ``localhost``, a private address, or the cloud metadata
service (169.254.169.254): a webhook would then make the worker send requests inside our network
(SSRF). `check_url` refuses them when the URL is saved; `post` checks again at send time, at the
moment of connecting, on the very address it connects to, so a name that resolved to a public
address when saved and to a private one now (DNS rebinding) is refused too. Redirects are not
followed (each hop would need the same check), proxies from the environment are not used.

``WEBHOOK_ALLOW_PRIVATE_HOSTS`` (off by default) lifts the address rule, for tests and local
sinks on 127.0.0.1 only. Keep this module generic: no app imports.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

CONNECT_TIMEOUT_SECONDS = 3.0
READ_TIMEOUT_SECONDS = 5.0
# The whole exchange (connect, send, headers, body): a receiver dripping one byte every few
# seconds never holds a worker longer than this.
DEADLINE_SECONDS = 8.0
MAX_RESPONSE_BYTES = 64 * 1024

_local = threading.local()


class UnsafeDestination(Exception):
    """The URL leads somewhere a webhook may not go (our own network, another scheme)."""


class DeadlineExceeded(Exception):
    """The receiver did not finish answering within the total deadline."""


@dataclass(frozen=True)
class Answer:
    """A receiver's answer: its status and at most ``MAX_RESPONSE_BYTES`` of its body."""

    status_code: int
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def _allow_private() -> bool:
    return bool(getattr(settings, "WEBHOOK_ALLOW_PRIVATE_HOSTS", False))


def is_public_address(address: str) -> bool:
    """True for a globally routable unicast address: not loopback, private, link-local (the
    metadata service), shared (CGNAT), reserved, multicast or unspecified."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _vetted_address(host: str, port: int) -> str:
    """Resolve ``host`` and answer the address to connect to, refusing any non-public one."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UnsafeDestination(
            gettext("The webhook host %(host)s could not be resolved.") % {"host": repr(host)}
        ) from exc
    addresses = [info[4][0] for info in infos]
    if not _allow_private():
        bad = [a for a in addresses if not is_public_address(a)]
        if bad:
            raise UnsafeDestination(
                gettext(
                    "The webhook host %(host)s resolves to %(value)s, an internal address; webhooks go only to public addresses."
                )
                % {"host": repr(host), "value": bad[0]}
            )
    return addresses[0]


def check_url(url: str, *, resolve: bool = True) -> None:
    """Raise `UnsafeDestination` (with a sentence a person can act on) when ``url`` is not an
    http(s) URL to a public host. A name that does not resolve now is let through (the send
    checks again); a name or literal address that is internal is refused."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeDestination(
            gettext("A webhook URL starts with https:// (or http://) and names a host.")
        )
    if _allow_private():
        return
    host = parts.hostname
    if host == "localhost" or host.endswith((".localhost", ".internal", ".local")):
        raise UnsafeDestination(
            gettext("%(host)s is an internal host; webhooks go only to public hosts.")
            % {"host": host}
        )
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        if not is_public_address(host):
            raise UnsafeDestination(
                gettext(
                    "%(host)s is an internal address (loopback, private, link-local or reserved); webhooks go only to public addresses."
                )
                % {"host": host}
            )
        return
    if resolve:
        try:
            _vetted_address(host, parts.port or (443 if parts.scheme == "https" else 80))
        except UnsafeDestination as exc:
            if not isinstance(exc.__cause__, socket.gaierror):
                raise
            # Not resolvable from here now: accepted, and checked again at each send.


class _Exchange:
    """One send: the sockets it opened, so the deadline can cut them."""

    def __init__(self) -> None:
        self.sockets: list[socket.socket] = []
        self.expired = False
        self.lock = threading.Lock()

    def opened(self, sock: socket.socket) -> None:
        with self.lock:
            self.sockets.append(sock)
            if self.expired:
                self._cut(sock)

    def expire(self) -> None:
        with self.lock:
            self.expired = True
            for sock in self.sockets:
                self._cut(sock)

    @staticmethod
    def _cut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


class _GuardedConnectionMixin:
    """Connect only to the vetted address of the host (checked at connect time)."""

    def _new_conn(self):
        self._dns_host = _vetted_address(self._dns_host, self.port)
        sock = super()._new_conn()
        exchange = getattr(_local, "exchange", None)
        if exchange is not None:
            exchange.opened(sock)
        return sock


class _GuardedHTTPConnection(_GuardedConnectionMixin, HTTPConnection):
    pass


class _GuardedHTTPSConnection(_GuardedConnectionMixin, HTTPSConnection):
    pass


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class _GuardedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _GuardedHTTPPool,
            "https": _GuardedHTTPSPool,
        }


def post(url: str, *, data: bytes, headers: dict[str, str]) -> Answer:
    """POST ``data`` to ``url`` within `DEADLINE_SECONDS` and read at most `MAX_RESPONSE_BYTES`
    of the answer. Raises `UnsafeDestination`, `DeadlineExceeded` or `requests.RequestException`."""
    check_url(url, resolve=False)
    exchange = _Exchange()
    timer = threading.Timer(DEADLINE_SECONDS, exchange.expire)
    timer.daemon = True
    started = time.monotonic()
    with requests.Session() as session:
        session.trust_env = False  # no proxy from the environment: it would skip the check
        adapter = _GuardedAdapter(max_retries=0)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        _local.exchange = exchange
        timer.start()
        try:
            response = session.post(
                url,
                data=data,
                headers=headers,
                timeout=(CONNECT_TIMEOUT_SECONDS, READ_TIMEOUT_SECONDS),
                allow_redirects=False,
                stream=True,
            )
            try:
                body = _read_bounded(response, exchange)
            finally:
                response.close()
        except (requests.RequestException, OSError) as exc:
            if exchange.expired:
                raise DeadlineExceeded(
                    gettext(
                        "The receiver did not answer within %(deadline_seconds)s s (gave up after %(value)s s)."
                    )
                    % {
                        "deadline_seconds": format(DEADLINE_SECONDS, "g"),
                        "value": format(time.monotonic() - started, ".1f"),
                    }
                ) from exc
            raise
        finally:
            timer.cancel()
            _local.exchange = None
    return Answer(response.status_code, body)


def _read_bounded(response: requests.Response, exchange: _Exchange) -> bytes:
    chunks, size = [], 0
    for chunk in response.iter_content(chunk_size=8192):
        chunks.append(chunk)
        size += len(chunk)
        if size >= MAX_RESPONSE_BYTES or exchange.expired:
            break  # the rest is never read: closing the response drops the connection
    if exchange.expired:
        raise DeadlineExceeded(
            gettext("The receiver did not answer within %(deadline_seconds)s s.")
            % {"deadline_seconds": format(DEADLINE_SECONDS, "g")}
        )
    return b"".join(chunks)[:MAX_RESPONSE_BYTES]
