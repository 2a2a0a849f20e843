#!/usr/bin/env bash
# `make loadtest`: 60 s of mixed load against gunicorn (2 workers) + a Celery worker on the local
# PostgreSQL and Redis, then a check that every request, transition and notification is accounted
# for (bench/loadtest.py). USERS, SECONDS_TO_RUN, PORT, DATABASE_URL (dropped and re-created!) and
# REDIS_URL override the defaults. CI runs a short version: tests/integration/test_loadtest.py.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/upstream_load}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/8}
export SECRET_KEY=loadtest-only-key-not-secret-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
export DEBUG=0 SECURE_SSL_REDIRECT=0 ALLOWED_HOSTS=127.0.0.1 THROTTLE_USER=1000000/min LOG_LEVEL=WARNING
# Emails are really sent through Django's mail framework, into memory: no SMTP, no console flood.
export EMAIL_URL=${EMAIL_URL:-memorymail://}
PORT=${PORT:-8777}
db=${DATABASE_URL##*/}
psql "${DATABASE_URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS \"$db\"" -qc "CREATE DATABASE \"$db\""
$BIN/python manage.py migrate -v0
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true' EXIT
$BIN/celery -A config worker --loglevel=WARNING --concurrency=2 & pids+=($!)
$BIN/gunicorn config.wsgi:application --bind 127.0.0.1:$PORT --workers 2 --threads 4 --log-level warning & pids+=($!)
for _ in $(seq 60); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.5; done
$BIN/python -m bench.loadtest --base-url http://127.0.0.1:$PORT --users "${USERS:-24}" --seconds "${SECONDS_TO_RUN:-60}"
