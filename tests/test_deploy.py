"""Production settings pass Django's deployment checks, and refuse to start without a secret."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
PROD_ENV = {
    "PATH": os.environ.get("PATH", ""),
    "DJANGO_SETTINGS_MODULE": "config.settings",
    # A throwaway key made for this check only (long and random enough for W009).
    "SECRET_KEY": "x9Jq2-vLr8#pT4!mZ0wE7sKd6&hN3bYc1uGf5oXa8iQ2lR-k3Vb7Nm1Pq9Zs4Wt6Yu8",
    "ALLOWED_HOSTS": "upstream.example.com",
    "DATABASE_URL": "sqlite:////tmp/upstream-deploy-check.sqlite3",
}


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_production_settings_pass_check_deploy_with_no_warning():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PROD_ENV.items() if k != "SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_asked_for():
    env = {**PROD_ENV}
    code = "from django.conf import settings; print(settings.DEBUG)"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.django_db
@override_settings(ALLOWED_HOSTS=["upstream.example.com"], SECURE_SSL_REDIRECT=True)
def test_probes_answer_the_container_address_that_pages_refuse(client):
    # Compose and the Dockerfile probe http://127.0.0.1:8000, not the public host name.
    for probe in ("/healthz", "/readyz"):
        response = client.get(probe, HTTP_HOST="127.0.0.1:8000")
        assert response.status_code == 200, probe
        assert response.json()["status"] == "ok"
    assert client.get("/accounts/login/", HTTP_HOST="127.0.0.1:8000").status_code == 400
