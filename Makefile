# Upstream: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: vendor run test test-fast lint fmt migrate shell worker beat run-services seed bench loadtest audit clean help

help:
	@echo "make run | test | test-fast | lint | fmt | migrate | shell | worker | beat | run-services | bench | loadtest"

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

## Set everything up and serve the app on SQLite with eager Celery and demo data.
## Links in emails and the calendar feed follow PORT (e.g. `make run PORT=8080`) unless SITE_URL is set.
run: $(STAMP)
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} $(PY) manage.py seed_demo
	DEBUG=1 SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} $(PY) manage.py runserver 127.0.0.1:$(PORT)

## Lint, then the whole suite (integration/browser tests skip without services, unless REQUIRE_SERVICES=1).
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run --settings=config.settings_test
	$(PY) -m pytest $(PYTEST_ARGS)

## The inner loop: lint and every test but the browser and integration ones (about two minutes).
test-fast: $(STAMP)
	$(BIN)/ruff check .
	$(PY) -m pytest -m "not browser and not integration" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run --settings=config.settings_test
	$(PY) manage.py check --settings=config.settings_test

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: $(STAMP)
	DEBUG=1 $(PY) manage.py migrate

seed: $(STAMP)
	DEBUG=1 $(PY) manage.py seed_demo

shell: $(STAMP)
	DEBUG=1 $(PY) manage.py shell

worker: $(STAMP)
	DEBUG=1 $(BIN)/celery -A config worker --loglevel=INFO --concurrency=2

beat: $(STAMP)
	DEBUG=1 $(BIN)/celery -A config beat --loglevel=INFO --schedule=/tmp/upstream-celerybeat-schedule

## Web + Celery worker + beat on the local PostgreSQL and Redis, natively; Ctrl-C stops all three.
run-services: $(STAMP)
	DEBUG=1 DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/upstream} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} bash scripts/run-services.sh

## Benchmarks on the local PostgreSQL and Redis (BENCH_SIZE=small|medium|large, BENCH_SCALE=small,medium).
## Installs wrk (the load driver, Debian package) when it is missing.
bench: $(STAMP)
	@if ! command -v wrk >/dev/null; then \
	  echo "make bench: installing wrk (apt-get install wrk) for the load driver"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
	fi
	$(PY) -m bench.run

## 60 s of mixed load on gunicorn + a worker, then every request, transition and notification
## checked in the database (USERS=, SECONDS_TO_RUN=; CI runs tests/integration/test_loadtest.py).
loadtest: $(STAMP)
	bash scripts/loadtest.sh

## Refresh the vendored browser libraries from the npm registry (pinned version, checked hash).
SORTABLE_VERSION := 1.15.6
SORTABLE_SHA256 := 6d0a831fc19b4bae851797ad3393157e861afb7862459c11226359b27e2c4337
vendor:
	rm -rf /tmp/upstream-vendor && mkdir -p /tmp/upstream-vendor static/vendor/sortablejs
	cd /tmp/upstream-vendor && npm pack --silent sortablejs@$(SORTABLE_VERSION) && tar xzf sortablejs-$(SORTABLE_VERSION).tgz
	echo "$(SORTABLE_SHA256)  /tmp/upstream-vendor/package/Sortable.min.js" | sha256sum -c -
	cp /tmp/upstream-vendor/package/Sortable.min.js /tmp/upstream-vendor/package/LICENSE static/vendor/sortablejs/

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

## Audit pins: each the newest patch of its minor line (`pip index versions`, names the version
## that fixes a pin behind), then known vulnerabilities with pip-audit when an advisory source answers.
audit: $(STAMP)
	$(PY) -m pip install --quiet pip-audit==2.10.1
	$(PY) scripts/audit_pins.py
