"""The suite's own promise: without services, integration tests skip and say why; with
REQUIRE_SERVICES=1 the same missing service fails the run."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = "tests/integration/test_board_concurrency.py"


def _run(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REQUIRE_SERVICES")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:warnings", TARGET],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_services_integration_tests_skip_and_say_why():
    result = _run()
    assert result.returncode == 0, result.stdout
    assert "skipped because integration (DATABASE_URL does not point to PostgreSQL)" in (
        result.stdout
    )


def test_with_require_services_a_missing_service_fails_the_run():
    result = _run(REQUIRE_SERVICES="1")
    assert result.returncode != 0, result.stdout
    assert "REQUIRE_SERVICES=1 but DATABASE_URL does not point to PostgreSQL" in result.stdout
