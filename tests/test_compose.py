"""The production topology: docker-compose.yml is valid and runs web, worker and beat from one
image beside PostgreSQL and Redis, each with a health check (validated with `docker-compose
config`; there is no Docker engine to run it here)."""

import shutil
import subprocess
from pathlib import Path

import yaml

from tests.conftest import require_or_skip

ROOT = Path(__file__).resolve().parent.parent


def _compose_config(tmp_path, env: str) -> subprocess.CompletedProcess:
    """`docker-compose config` in a copy of the project's compose setup, with ``env`` as .env."""
    compose = shutil.which("docker-compose")
    if not compose:
        require_or_skip("docker-compose is not installed (Debian package docker-compose)")
    for name in ("docker-compose.yml", "Dockerfile"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / ".env").write_text(env)
    return subprocess.run(
        [compose, "config"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )


def test_compose_runs_the_whole_topology_from_one_image(tmp_path):
    result = _compose_config(tmp_path, (ROOT / ".env.example").read_text())
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert set(services) == {
        "postgres",
        "redis",
        "migrate",
        "web",
        "worker",
        "worker-webhooks",
        "beat",
    }
    # Webhook deliveries on their own worker: a hanging receiver never delays email.
    assert services["worker"]["command"][4:6] == ["-Q", "celery"]
    assert services["worker-webhooks"]["command"][4:6] == ["-Q", "webhooks"]
    app = {name: services[name] for name in ("migrate", "web", "worker", "beat")}
    assert {s["image"] for s in app.values()} == {"upstream:latest"}
    assert all(s["environment"]["REDIS_URL"] == "redis://redis:6379/0" for s in app.values())
    for name in ("postgres", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )


def test_compose_refuses_to_start_without_a_database_password(tmp_path):
    env = (ROOT / ".env.example").read_text().replace("POSTGRES_PASSWORD=", "UNSET_PASSWORD=")
    result = _compose_config(tmp_path, env)
    assert result.returncode != 0
    assert "set POSTGRES_PASSWORD in .env" in result.stderr
