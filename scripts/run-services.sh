#!/usr/bin/env bash
# The production topology, natively: gunicorn web + Celery worker + beat on the local PostgreSQL
# and Redis. Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
: "${DATABASE_URL:?DATABASE_URL must point to PostgreSQL}"
: "${REDIS_URL:?REDIS_URL must point to Redis}"
export DATABASE_URL REDIS_URL

if [[ "$DATABASE_URL" == postgres* ]]; then
  db=${DATABASE_URL##*/}
  psql "${DATABASE_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1 \
    || psql "${DATABASE_URL%/*}/postgres" -c "CREATE DATABASE \"$db\"" >/dev/null
fi
$BIN/python manage.py migrate --noinput
$BIN/python manage.py seed_demo

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo "Stopping web, worker and beat..."
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap cleanup INT TERM EXIT

$BIN/celery -A config worker --loglevel=INFO --concurrency=2 & pids+=($!)
$BIN/celery -A config beat --loglevel=INFO --schedule=/tmp/upstream-celerybeat-schedule & pids+=($!)
$BIN/gunicorn config.wsgi:application --bind 127.0.0.1:${PORT:-8000} --workers 2 --access-logfile - & pids+=($!)
echo "Upstream is serving http://127.0.0.1:${PORT:-8000} (web, worker and beat running; Ctrl-C stops them)"
wait -n "${pids[@]}"
