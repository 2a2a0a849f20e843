"""Real services for integration tests: a Celery worker subprocess on Redis, private
redis-servers for fault injection, and the test process publishing to the same broker.

The worker reads the pytest-django test database (data must be committed: these tests use
``transactional_db``). Every process started here is stopped at teardown, even on failure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from tests.conftest import require_or_skip

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).parent / "celery")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout: float = 30, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {what}")


class RedisServer:
    """A private redis-server on a free port (never the shared 6379), killable and restartable."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = None

    def start(self):
        binary = shutil.which("redis-server")
        if not binary:
            require_or_skip("redis-server is not installed")
        self.proc = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._answers, 10, what="redis-server")
        return self

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), 0.2) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


class Worker:
    """`celery -A config worker` as a subprocess against ``broker_url`` and the test database."""

    def __init__(self, broker_url: str, env_extra: dict | None = None, queues: str = ""):
        self.queues = queues  # ``-Q``: empty for every queue the app declares
        db = settings.DATABASES["default"]
        self.env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": broker_url,
            "CELERY_BROKER_URL": broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "SECRET_KEY": "integration-test-key-not-secret-0123456789abcdefghijklmnopqrstuv",
            "DEBUG": "0",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SITE_URL": "http://testserver",
            "WEBHOOK_ALLOW_PRIVATE_HOSTS": "1",  # the sinks listen on 127.0.0.1
            **(env_extra or {}),
        }
        self.proc = None
        self.lines: list[str] = []

    def start(self):
        self.proc = subprocess.Popen(
            [
                CELERY,
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "info",
                *(["-Q", self.queues, "-n", f"{self.queues}@%h"] if self.queues else []),
            ],  # fmt: skip
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        wait_until(lambda: any(" ready." in line for line in self.lines), 45, what="the worker")
        return self

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line)

    def kill(self, sig=signal.SIGKILL):
        """Kill the whole process group (main process and its pool children)."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(15)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


def _reset_connections() -> None:
    """Forget pooled broker connections so the next publish connects to the current URL."""
    from kombu import pools

    with contextlib.suppress(Exception):  # the private broker may be gone already
        pools.reset()  # kombu keeps pools in a global registry keyed by broker URL
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def live_broker():
    """Make this test process publish to a real broker: ``live_broker(url)``; restored after."""
    saved = (celery_app.conf.task_always_eager, celery_app.conf.broker_url)
    saved_setting = settings.CELERY_TASK_ALWAYS_EAGER

    def use(url: str):
        celery_app.conf.task_always_eager = False
        celery_app.conf.broker_url = url
        settings.CELERY_TASK_ALWAYS_EAGER = False
        _reset_connections()
        return url

    yield use
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = saved
    settings.CELERY_TASK_ALWAYS_EAGER = saved_setting
    _reset_connections()


@pytest.fixture
def workers():
    started: list[Worker] = []

    def start(broker_url: str, queues: str = "", **env) -> Worker:
        worker = Worker(broker_url, env, queues).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
        # Shown by pytest only when the test failed: what the worker said.
        print(f"--- worker {worker.proc.pid} output ---\n" + "".join(worker.lines[-80:]))


@pytest.fixture
def redis_servers():
    started: list[RedisServer] = []

    def start(server: RedisServer | None = None) -> RedisServer:
        server = (server or RedisServer()).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.kill()


@pytest.fixture
def shared_redis_url():
    """The shared Redis (CI's), on a database of its own so queues do not mix with other runs."""
    return os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0] + "/11"


@pytest.fixture
def mail_dir():
    path = tempfile.mkdtemp(prefix="upstream-mail-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(autouse=True)
def _close_db_after():
    yield
    connection.close()
