"""Shared fixtures: users in each role, an API client per role, service detection.

Integration tests (``@pytest.mark.integration``) need PostgreSQL and Redis; browser tests
(``@pytest.mark.browser``) need Chromium. Without them they are skipped with the reason, and the
run ends with a summary of what was skipped; with REQUIRE_SERVICES=1 a missing service fails them.
"""

from __future__ import annotations

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from tests import factories

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def require_or_skip(reason: str) -> None:
    """Skip a test for a missing tool, or fail it when the run requires every service."""
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def _redis_reachable() -> str | None:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        return "REDIS_URL is not set"
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), 2):
            return None
    except OSError as exc:
        return f"Redis at {url} is unreachable ({exc})"


def _postgres_missing() -> str | None:
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        return "DATABASE_URL does not point to PostgreSQL"
    return None


def integration_missing() -> str | None:
    """Why integration tests cannot run here, or None when they can."""
    return _postgres_missing() or _redis_reachable()


def browser_missing() -> str | None:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        return f"Chromium is not installed at {CHROMIUM}"
    return None


_skipped: dict[str, list[str]] = {}
_missing: dict[str, str | None] = {}


def pytest_collection_modifyitems(config, items):
    _missing.update(integration=integration_missing(), browser=browser_missing())
    if REQUIRE_SERVICES:
        return  # each such test fails in pytest_runtest_setup instead
    for item in items:
        for marker, reason in _missing.items():
            if reason and item.get_closest_marker(marker):
                item.add_marker(pytest.mark.skip(reason=f"{marker}: {reason}"))
                _skipped.setdefault(f"{marker} ({reason})", []).append(item.nodeid)


def pytest_runtest_setup(item):
    """With REQUIRE_SERVICES=1 a missing service fails the tests that need it."""
    for marker, reason in _missing.items():
        if reason and item.get_closest_marker(marker):
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)


def pytest_terminal_summary(terminalreporter):
    if not _skipped:
        return
    terminalreporter.section("skipped integration and browser tests")
    for why, nodeids in _skipped.items():
        terminalreporter.write_line(f"{len(nodeids)} skipped because {why}")
    terminalreporter.write_line(
        "Set DATABASE_URL=postgres://… and REDIS_URL=redis://…, install chromium, "
        "and run with REQUIRE_SERVICES=1 to run them all."
    )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty Django cache. The test cache (locmem) lives as long as the
    process, while each test's rows are rolled back and their ids reused: a review (or throttle
    count) cached by an earlier test must never answer for this one."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _cycles_from_2027():
    """Each test's factory cycles start again at 2027-Q1: over a whole run the sequence would
    otherwise walk past the last year a cycle may have (2199, see requests_app.services)."""
    factories.CycleFactory.reset_sequence(0)


# --- users in each role -------------------------------------------------------------------


@pytest.fixture
def target_domain(db):
    return factories.DomainFactory(name="Payments", slug="payments")


@pytest.fixture
def requesting_domain(db):
    return factories.DomainFactory(name="Search", slug="search")


@pytest.fixture
def requester(db, requesting_domain):
    """A product manager in the requesting domain."""
    user = factories.UserFactory(username="pm")
    requesting_domain.members.add(user)
    return user


@pytest.fixture
def lead(db, target_domain):
    """A lead of the target (producing) domain."""
    user = factories.UserFactory(username="lead")
    target_domain.leads.add(user)
    return user


@pytest.fixture
def member(db, target_domain):
    """A member (not a lead) of the target domain."""
    user = factories.UserFactory(username="member")
    target_domain.members.add(user)
    return user


@pytest.fixture
def other_lead(db, requesting_domain):
    """A lead of another domain: signed in, but no rights on the target domain."""
    user = factories.UserFactory(username="otherlead")
    requesting_domain.leads.add(user)
    return user


@pytest.fixture
def staff(db):
    return factories.UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def api():
    """An API client; call ``api.force_authenticate(user)`` or use ``api_as``."""
    return APIClient()


@pytest.fixture
def api_as():
    def make(user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def sink():
    """A local HTTP webhook receiver (see tests/sinks.py)."""
    from tests.sinks import Sink

    receiver = Sink()
    yield receiver
    receiver.close()


@pytest.fixture
def migrator(transactional_db):
    """Run migrations to any state inside a test, and bring the database back to the latest
    state afterwards (a test left at an old state would break every test after it)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    class Migrator:
        def migrate(self, targets):
            """Migrate to ``targets`` (None: the latest); answers the apps of that state."""
            executor = MigrationExecutor(connection)
            targets = targets or executor.loader.graph.leaf_nodes()
            executor.migrate(targets)
            executor.loader.build_graph()
            return executor.loader.project_state(targets).apps

    yield Migrator()
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
