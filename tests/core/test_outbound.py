"""Webhook destinations: never our own network, never a worker held by a slow or huge answer
(issue #18, point 11). Receivers are real HTTP servers on loopback; the address rule is
switched on for each test (settings_test lifts it for the sinks)."""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
import time

import pytest

from core import outbound
from notifications import services as outbox
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.0.0.7/hook",
        "http://172.16.3.4/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/hook",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[fd00:ec2::254]/hook",
        "http://0.0.0.0/hook",
        "ftp://hooks.example.com/hook",
        "file:///etc/passwd",
    ],
)
def test_internal_or_odd_urls_are_refused(strict, url):
    with pytest.raises(outbound.UnsafeDestination):
        outbound.check_url(url)


def test_a_public_address_is_accepted(strict):
    outbound.check_url("https://93.184.216.34/services/T000/B000/XXX")


def test_a_lead_cannot_point_the_domain_webhook_at_the_metadata_service(strict, api_as, lead):
    response = api_as(lead).patch(
        "/api/v1/domains/payments/",
        {"webhook_url": "http://169.254.169.254/latest/meta-data/"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["webhook_url"]
    assert "internal address" in response.json()["detail"]


@pytest.fixture
def row(target_domain):
    target_domain.webhook_secret = "s3cret"
    target_domain.save()
    return Notification.objects.create(
        domain=target_domain,
        kind="submitted",
        channel="webhook",
        message="New request",
        payload={"path": "/requests/7/"},
        dedupe_key="hook:ssrf",
    )


def test_a_saved_loopback_url_is_refused_at_send_time(strict, row, target_domain, sink):
    # Saved before the rule (or behind the services' back): the send checks again.
    type(target_domain).objects.filter(pk=target_domain.pk).update(webhook_url=sink.url)
    assert outbox.deliver([row.pk]) == {"failed": 1}
    row.refresh_from_db()
    assert "internal address" in row.last_error
    assert sink.calls == 0


def test_a_name_that_now_resolves_to_loopback_is_refused_at_send_time(
    strict, row, target_domain, sink, monkeypatch
):
    """DNS rebinding: public when saved, 127.0.0.1 when sent."""
    port = int(sink.url.rsplit(":", 1)[1].split("/")[0])
    type(target_domain).objects.filter(pk=target_domain.pk).update(
        webhook_url=f"http://hooks.example.com:{port}/"
    )
    real = socket.getaddrinfo

    def rebinding_dns(host, *args, **kwargs):
        if host == "hooks.example.com":
            return real("127.0.0.1", *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_dns)
    assert outbox.deliver([row.pk]) == {"failed": 1}
    row.refresh_from_db()
    assert "resolves to 127.0.0.1" in row.last_error
    assert sink.calls == 0


class _Receiver:
    """A raw HTTP receiver on loopback that answers with ``respond(wfile)``; counts bytes sent."""

    def __init__(self, respond):
        self.sent = 0
        receiver = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                while self.rfile.readline() not in (b"\r\n", b""):
                    pass  # headers (the body is small and ignored)
                with contextlib.suppress(OSError):  # the client hung up, as it should
                    respond(self.wfile, receiver)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _huge(wfile, receiver):
    wfile.write(b"HTTP/1.1 500 Oops\r\nContent-Length: 419430400\r\n\r\n")
    chunk = b"x" * 65536
    for _ in range(6400):  # 400 MB, unless the client stops reading
        wfile.write(chunk)
        receiver.sent += len(chunk)


def _drip(wfile, receiver):
    wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
    wfile.flush()
    for _ in range(1000):
        wfile.write(b".")
        wfile.flush()
        receiver.sent += 1
        time.sleep(0.2)  # each byte well inside the read timeout


def _drip_headers(wfile, receiver):
    for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"y" * 1000:
        wfile.write(bytes([byte]))
        wfile.flush()
        time.sleep(0.2)


@pytest.fixture
def receiver_of(row, target_domain):
    made = []

    def make(respond):
        receiver = _Receiver(respond)
        made.append(receiver)
        type(target_domain).objects.filter(pk=target_domain.pk).update(webhook_url=receiver.url)
        return receiver

    yield make
    for receiver in made:
        receiver.close()


def test_a_huge_answer_is_not_read_past_the_bound(row, receiver_of):
    receiver = receiver_of(_huge)
    started = time.monotonic()
    assert outbox.deliver([row.pk]) == {"retrying": 1}
    assert time.monotonic() - started < 5
    time.sleep(0.3)
    assert receiver.sent < 20 * 1024 * 1024  # socket buffers at most, never 400 MB
    row.refresh_from_db()
    assert "500" in row.last_error


@pytest.mark.parametrize("respond", [_drip, _drip_headers], ids=["body", "headers"])
def test_a_slow_drip_receiver_is_cut_at_the_total_deadline(row, receiver_of, monkeypatch, respond):
    monkeypatch.setattr(outbound, "DEADLINE_SECONDS", 1.5)
    receiver_of(respond)
    started = time.monotonic()
    assert outbox.deliver([row.pk]) == {"retrying": 1}
    assert time.monotonic() - started < 3
    row.refresh_from_db()
    assert "too slow" in row.last_error
