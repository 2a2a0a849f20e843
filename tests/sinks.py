"""Real servers on loopback that record deliveries: an HTTP webhook receiver and an SMTP server
(no patching of the clients)."""

from __future__ import annotations

import json
import socketserver
import threading
import time
from collections import Counter
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Sink:
    """A real HTTP server on 127.0.0.1 that records what it receives and answers as told."""

    def __init__(self):
        self.received: list[dict] = []
        self.status = 200
        self.delay = 0.0
        self.fail_first = 0  # answer 500 to the first N requests
        self.hang_first = 0  # hang (``hang_seconds``) on the first N requests
        self.hang_seconds = 6.0
        self.calls = 0
        self.lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with sink.lock:
                    sink.calls += 1
                    call = sink.calls
                if call <= sink.hang_first:
                    time.sleep(sink.hang_seconds)
                elif sink.delay:
                    time.sleep(sink.delay)
                status = 500 if call <= sink.fail_first else sink.status
                if status < 300:
                    sink.received.append({"headers": dict(self.headers), "body": body})
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def json(self, i=-1):
        return json.loads(self.received[i]["body"])

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def keys(self) -> Counter:
        """Deliveries per Idempotency-Key (what a receiver that honours the header keeps)."""
        return Counter(r["headers"].get("Idempotency-Key") for r in self.received)


class SmtpSink:
    """A real SMTP server on 127.0.0.1 (just enough of RFC 5321 for smtplib): it records the
    messages it accepts and refuses (550) the recipients listed in ``refuse``."""

    def __init__(self):
        self.messages: list[dict] = []
        self.refuse: set[str] = set()
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
                            self.reply("550 No such user here")
                        else:
                            rcpts.append(address)
                            self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 End data with <CR><LF>.<CR><LF>")
                        data = b"".join(iter(lambda: self.rfile.readline(), b".\r\n"))
                        sink.messages.append(
                            {"from": mail_from, "to": rcpts, "message": message_from_bytes(data)}
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
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
