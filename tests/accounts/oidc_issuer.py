"""A loopback OpenID provider that signs ID tokens with a test key and serves its JWKS, so tests
can hand Upstream exactly the token they want (expired, wrong nonce, another issuer…)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "upstream-test"
CLIENT_SECRET = "loopback-client-secret"  # noqa: S105 - test value


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class LoopbackIssuer:
    """Discovery, JWKS, token and userinfo endpoints on 127.0.0.1; `claims` shape the next
    ID token (`nonce` defaults to the one of the last authorization request)."""

    def __init__(self) -> None:
        self.key = new_key()
        self.kid = "test-key-1"
        self.claims: dict = {}
        self.signing_key = None  # another key, to forge a signature
        self.token_requests: list[dict] = []
        self.nonce: str | None = None
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, payload: dict, status: int = 200) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):  # noqa: N802
                if self.path == "/.well-known/openid-configuration":
                    self._json(issuer.discovery())
                elif self.path == "/jwks":
                    jwk = json.loads(RSAAlgorithm.to_jwk(issuer.key.public_key()))
                    self._json({"keys": [{**jwk, "kid": issuer.kid, "alg": "RS256", "use": "sig"}]})
                elif self.path == "/userinfo":
                    self._json({"sub": issuer.claims.get("sub", "sub-1")})
                else:
                    self._json({"error": "not_found"}, 404)

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                issuer.token_requests.append(form)
                self._json(
                    {"access_token": "at", "token_type": "Bearer", "id_token": issuer.id_token()}
                )

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def discovery(self) -> dict:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "code_challenge_methods_supported": ["S256"],
        }

    def id_token(self) -> str:
        now = int(time.time())
        claims = {
            "iss": self.url,
            "aud": CLIENT_ID,
            "sub": "sub-1",
            "iat": now,
            "exp": now + 300,
            "nonce": self.nonce,
            "email": "dana@example.com",
            "preferred_username": "dana",
            "given_name": "Dana",
            "family_name": "Lead",
            "groups": ["upstream:payments:lead"],
            **self.claims,
        }
        key = self.signing_key or self.key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
