"""A real HTTP server on loopback that records webhook deliveries (no patching of the client)."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
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
