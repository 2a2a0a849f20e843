"""Runs the real OpenID Connect provider (server.mjs, panva/oidc-provider on Node.js) for a test.

`npm ci` runs here on first use (the npm registry is reachable from developers' machines and CI);
without Node.js or npm the tests that need the provider skip with the reason, or fail under
REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
from pathlib import Path

from tests.conftest import require_or_skip

HERE = Path(__file__).resolve().parent
CLIENT_ID = "upstream"
CLIENT_SECRET = "upstream-test-client-secret"  # noqa: S105 - the test provider's own client
_install_lock = threading.Lock()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_installed() -> str:
    """The `node` executable, with the provider's packages installed (skip when impossible)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        require_or_skip("Node.js and npm are needed for the OpenID Connect provider")
    with _install_lock:
        if not (HERE / "node_modules" / "oidc-provider").is_dir():
            result = subprocess.run(  # noqa: S603 - fixed command
                [npm, "ci", "--no-audit", "--no-fund"],
                cwd=HERE,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            if result.returncode:
                require_or_skip(f"npm ci for the OIDC provider failed: {result.stderr[-500:]}")
    return node


class NodeProvider:
    """One provider process on 127.0.0.1; `users` (login → claims) is re-read at each sign-in."""

    def __init__(self, redirect_uri: str, users: dict, workdir: Path) -> None:
        node = ensure_installed()
        self.users_file = workdir / "oidc-users.json"
        self.set_users(users)
        port = _free_port()
        self.issuer = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(  # noqa: S603 - fixed command
            [node, str(HERE / "server.mjs")],
            cwd=HERE,
            env={
                "PATH": "/usr/bin:/bin",
                "PORT": str(port),
                "REDIRECT_URI": redirect_uri,
                "USERS_FILE": str(self.users_file),
            },
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.output: list[str] = []
        for line in self.process.stdout:  # wait for "ready" (or the process to end)
            self.output.append(line)
            if line.startswith("ready "):
                break
        else:
            raise RuntimeError("The OIDC provider did not start:\n" + "".join(self.output))
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        for line in self.process.stdout:
            self.output.append(line)

    def set_users(self, users: dict) -> None:
        self.users_file.write_text(json.dumps(users))

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
