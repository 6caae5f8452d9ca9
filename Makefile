# The two commands a new user needs: `make run` and `make test`. See README.md.

VENV := .venv
PY := $(VENV)/bin/python
# pyenv reads .python-version (3.12) in this folder; elsewhere python3.12 is usually on PATH.
PYTHON ?= $(shell command -v python3.12 2>/dev/null || command -v python3 2>/dev/null)
HOST ?= 127.0.0.1
PORT ?= 8000
# settings.SITE_URL defaults to http://$(HOST):$(PORT), so links in mail reach this server.
export HOST PORT

.PHONY: run test test-quick licences lint format bench setup assets python-check clean

run: export DEBUG ?= 1
run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py seed_demo
	@echo "Serving http://$(HOST):$(PORT) with a worker and a scheduler beside it (Ctrl-C stops all)."
	@$(PY) manage.py db_worker & worker=$$!; \
	  $(PY) manage.py run_periodic & scheduler=$$!; \
	  trap 'kill $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

# One pytest worker per core (pytest-xdist), each with its own test database, its own
# Chromium, Dovecot and live server; idle workers take tests from busy ones (worksteal), so
# the slow browser files do not leave one core waiting. WORKERS=0 runs in one process.
WORKERS ?= auto
# pytest's status 5 is "no tests collected" (a wrong path, -k or -m): a failure, said in words.
PYTEST = $(PY) -m pytest -n $(WORKERS) --dist worksteal $(1) $(ARGS) || { status=$$?; \
  [ $$status != 5 ] || echo "!! pytest collected no tests: check the paths, -k and -m in ARGS." >&2; \
  exit $$status; }

# Bytecode caches (__pycache__/, ignored by git) even where PYTHONDONTWRITEBYTECODE is set:
# every worker and every command a test starts would otherwise compile the project again.
test test-quick: export PYTHONDONTWRITEBYTECODE :=

test: setup
	$(call PYTEST)

# The edit-run loop: everything but the browser, IMAP and benchmark suites (make test runs
# those too, and so does .ci/run).
test-quick: setup
	$(call PYTEST,-m "not browser and not imap and not bench")

# The licences of the runtime requirements and what they pull in: GPL/AGPL fails (README.md,
# "Licences").
licences: setup
	$(PY) .ci/check_licences.py

# Ingest 10,000 generated messages, then queue 1,000 replies in one bulk action and send
# them through the worker to a local SMTP sink, then re-triage 100,000 stored requests;
# each in a throw-away database (set DATABASE_URL to measure on PostgreSQL).
bench: export DEBUG ?= 1
bench: setup
	$(PY) manage.py bench_ingest
	$(PY) manage.py bench_replies
	$(PY) manage.py bench_retriage

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

setup: $(VENV)/.installed assets

python-check:
	@test -n "$(PYTHON)" || { echo "error: no python3 found. Install Python 3.12 (pyenv install 3.12)."; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' || { \
	  echo "error: Python 3.12 is required, but $(PYTHON) is $$($(PYTHON) --version 2>&1)."; \
	  echo "       Install it (pyenv install 3.12) or run: make PYTHON=/path/to/python3.12 ..."; \
	  exit 1; }

$(VENV)/.installed: requirements.txt requirements-dev.txt | python-check
	@test -x $(PY) && $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

assets: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "error: npm is required for the front-end packages (apt-get install npm)."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

clean:
	rm -rf $(VENV) node_modules var staticfiles .pytest_cache .ruff_cache
