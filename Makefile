# unionportal: `make run` serves the portal with demo data, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000


.PHONY: help install install-dev messages run test test-fast e2e lint arch format check bench lock clean

help:
	@echo "make run    - set up everything and serve the portal with demo data at http://$(HOST):$(PORT)/ (and run the background worker)"
	@echo "make test   - the whole test suite (unit, integration, browser)"
	@echo "make lint   - ruff check and format check"
	@echo "make arch   - architecture contracts: which app may import which (import-linter)"
	@echo "make bench  - benchmarks (not part of make test)"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

# Chart.js for the dashboard comes from npm, pinned by package-lock.json, served from node_modules.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

# Compiled translations are built from locale/*.po (with Babel, so GNU gettext is not needed).
messages: install
	$(VENV)/bin/pybabel compile --domain=django --directory=locale --statistics 2>&1 | tail -n 1

# Local runs are development runs: debug on, embedded SQLite unless DATABASE_URL says otherwise.
run: export DJANGO_DEBUG ?= 1
run: install messages
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo
	@# The background worker (large imports) runs beside the server and stops when it stops.
	@# Without --no-reload it would fork a reloader child that outlives the kill below.
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install messages
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Who may import whom: the contracts are in pyproject.toml ([tool.importlinter]).
arch: install
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# How cost grows (bench/growth.py): 100k by default; BENCH_GROWTH=100k,1m,3m for every size.
BENCH_GROWTH ?= 100k

bench: install messages
	$(PY) -m bench $(BENCH_ARGS)
	$(PY) -m bench.growth --sizes $(BENCH_GROWTH)

# Re-pin after editing requirements*.in (in a throwaway virtualenv, so nothing stale survives).
lock:
	rm -rf /tmp/unionportal-lock && $(PYTHON) -m venv /tmp/unionportal-lock
	/tmp/unionportal-lock/bin/pip install --quiet -r requirements-dev.in
	/tmp/unionportal-lock/bin/pip freeze > /tmp/unionportal-lock.txt
	@echo "Split /tmp/unionportal-lock.txt into requirements.txt (runtime) and requirements-dev.txt."

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
