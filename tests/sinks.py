"""Real servers on loopback that record deliveries: an HTTP webhook receiver and an SMTP server
(no patching of the clients)."""

from __future__ import annotations

import hashlib
import hmac
import json
import socketserver
import threading
import time
from collections import Counter
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Sink:
    """A webhook receiver on 127.0.0.1 that behaves like a careful real one and answers as told.

    It honours ``Idempotency-Key``: a key it accepted before is answered 200 again but not kept
    twice. With ``secret`` set it checks the HMAC signature and answers 401 when it is wrong.
    ``received`` holds what it kept (each key once), ``attempts`` counts the raw POSTs per key
    (repeats included), ``replays`` the repeats of an accepted key, ``calls`` every POST.
    """

    def __init__(self, secret: str = ""):
        self.received: list[dict] = []
        self.attempts: Counter = Counter()
        self.replays = 0
        self.secret = secret
        self.status = 200
        self.delay = 0.0
        self.fail_first = 0  # answer 500 to the first N requests
        self.hang_first = 0  # hang (``hang_seconds``) on the first N requests
        self.hang_seconds = 6.0
        self.calls = 0
        self.lock = threading.Lock()
        accepted: set[str] = set()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                key = self.headers.get("Idempotency-Key")
                with sink.lock:
                    sink.calls += 1
                    call = sink.calls
                    sink.attempts[key] += 1
                if call <= sink.hang_first:
                    time.sleep(sink.hang_seconds)
                elif sink.delay:
                    time.sleep(sink.delay)
                status = 500 if call <= sink.fail_first else sink.status
                if status < 300 and sink.secret and not sink.signed(body, self.headers):
                    status = 401
                if status < 300:
                    with sink.lock:
                        if key is not None and key in accepted:
                            sink.replays += 1  # already processed: acknowledge, keep once
                        else:
                            accepted.add(key)
                            sink.received.append({"headers": dict(self.headers), "body": body})
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def signed(self, body: bytes, headers) -> bool:
        expected = "sha256=" + hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(headers.get("X-Upstream-Signature", ""), expected)

    def json(self, i=-1):
        return json.loads(self.received[i]["body"])

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def keys(self) -> Counter:
        """Kept deliveries per Idempotency-Key (1 each: repeats are acknowledged, not kept)."""
        return Counter(r["headers"].get("Idempotency-Key") for r in self.received)


class SmtpSink:
    """A real SMTP server on 127.0.0.1 (just enough of RFC 5321 for smtplib). It refuses the
    recipients listed in ``refuse`` (with ``refusal``) and, like mail systems that drop a repeated Message-ID,
    keeps each Message-ID once: ``messages`` holds what it kept, ``attempts`` counts the
    messages received per Message-ID (repeats included)."""

    def __init__(self):
        self.messages: list[dict] = []
        self.attempts: Counter = Counter()
        self.refuse: set[str] = set()
        self.refusal = "550 No such user here"  # or a temporary "451 …"
        self.delay = 0.0  # seconds before answering each message's DATA
        self.lock = threading.Lock()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(f"{line}\r\n".encode())

            def handle(self):
                self.reply("220 sink ESMTP")
                mail_from, rcpts = "", []
                while line := self.rfile.readline():
                    verb, _, arg = line.decode().strip().partition(" ")
                    verb = verb.upper()
                    if verb in ("EHLO", "HELO"):
                        self.reply("250 sink")
                    elif verb == "MAIL":
                        mail_from, rcpts = arg.split(":", 1)[1].strip(" <>"), []
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        address = arg.split(":", 1)[1].strip(" <>")
                        if address in sink.refuse:
                            self.reply(sink.refusal)
                        else:
                            rcpts.append(address)
                            self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 End data with <CR><LF>.<CR><LF>")
                        lines = []
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            lines.append(chunk)
                        if not chunk:
                            return  # the client died mid-message: nothing was accepted
                        data = b"".join(lines)
                        message = message_from_bytes(data)
                        if sink.delay:
                            time.sleep(sink.delay)
                        with sink.lock:
                            sink.attempts[message["Message-ID"]] += 1
                            if sink.attempts[message["Message-ID"]] == 1:
                                sink.messages.append(
                                    {"from": mail_from, "to": rcpts, "message": message}
                                )
                        self.reply("250 OK queued")
                    elif verb == "QUIT":
                        self.reply("221 Bye")
                        return
                    else:  # RSET, NOOP
                        self.reply("250 OK")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
