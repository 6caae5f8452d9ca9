# The two commands a new user needs: `make run` and `make test`. See README.md.

VENV := .venv
PY := $(VENV)/bin/python
# pyenv reads .python-version (3.12) in this folder; elsewhere python3.12 is usually on PATH.
PYTHON ?= $(shell command -v python3.12 2>/dev/null || command -v python3 2>/dev/null)
HOST ?= 127.0.0.1
PORT ?= 8000
# settings.SITE_URL defaults to http://$(HOST):$(PORT), so links in mail reach this server.
export HOST PORT

# `make serve` refuses to start without these (README.md, "Running it in production").
SERVE_REQUIRED := SECRET_KEY DATABASE_URL ALLOWED_HOSTS SITE_URL
TASK_WORKERS ?= 2

.PHONY: run serve serve-check test test-quick licences lint format bench setup assets python-check clean

# $(call KEEP_RUNNING,command,name): run it, and again 2 s after it fails, until it ends
# well (Ctrl-C) or the shell that started it sends TERM (which stops the command too).
# `make run`'s worker reloads itself on every edit, and exits for good when a file it
# imports is broken for a moment.
KEEP_RUNNING = ( trap 'kill $$child 2>/dev/null; wait $$child; exit 0' TERM; \
	while :; do $(1) & child=$$!; wait $$child && break; \
	echo "$(2) stopped (a file that does not import?): starting it again in 2 s." >&2; \
	sleep 2; done )

run: export DEBUG ?= 1
run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py seed_demo
	@echo "Serving http://$(HOST):$(PORT) with a worker and a scheduler beside it (Ctrl-C stops all)."
	@$(call KEEP_RUNNING,$(PY) manage.py db_worker,The worker) & worker=$$!; \
	  $(PY) manage.py run_periodic & scheduler=$$!; \
	  trap 'kill $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

# The production profile: gunicorn, task workers and the scheduler from the Procfile, run by
# honcho, on PostgreSQL. Checks the environment first, then migrates, collects the static
# files and creates the rate-limit cache table. Ctrl-C (or SIGTERM) stops them all.
serve: export STATIC_MANIFEST ?= 1
# Unbuffered: each log line leaves its process in one write, so the lines of processes that
# share one pipe (gunicorn's workers) never end up in each other's middle.
serve: export PYTHONUNBUFFERED := 1
serve: setup serve-check
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py createcachetable
	@echo "Serving $$SITE_URL (gunicorn on $(HOST):$(PORT), WEB_CONCURRENCY=$${WEB_CONCURRENCY:-2} web, $(TASK_WORKERS) task workers, 1 scheduler)."
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" exec $(VENV)/bin/honcho --no-colour start \
	  -f Procfile -d $(CURDIR) -c web=1,worker=$(TASK_WORKERS),scheduler=1

# What production needs, named when missing, before anything is started.
serve-check:
	@missing=""; for name in $(SERVE_REQUIRED); do \
	  eval "value=\$${$$name:-}"; [ -n "$$value" ] || missing="$$missing $$name"; done; \
	  if [ -n "$$missing" ]; then \
	    echo "error: make serve needs these environment variables:$$missing" >&2; \
	    echo "       (README.md, \"Running it in production\", says what each one holds)." >&2; \
	    exit 1; fi
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; *) \
	  echo "error: DATABASE_URL must point at PostgreSQL (postgres://...): several processes" >&2; \
	  echo "       share it, and SQLite serialises every writer." >&2; exit 1;; esac
	@case "$${DEBUG:-}" in 1|true|yes|on|TRUE|True|YES|ON) \
	  echo "error: DEBUG is on; production runs with DEBUG unset or 0." >&2; exit 1;; esac

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

# The edit-run loop: everything but the browser, IMAP, benchmark and production suites (make test runs
# those too, and so does .ci/run).
test-quick: setup
	$(call PYTEST,-m "not browser and not imap and not bench and not prod")

# The licences of the runtime requirements and what they pull in: GPL/AGPL fails (README.md,
# "Licences").
licences: setup
	$(PY) .ci/check_licences.py

# Ingest 10,000 generated messages, then queue 1,000 replies in one bulk action and send
# them through the worker to a local SMTP sink, then re-triage 100,000 stored requests, then
# render the dashboard over 100,000 requests, time every recruiter page at 10,000 and
# 100,000 requests; each in a throw-away database (set DATABASE_URL to measure on PostgreSQL).
bench: export DEBUG ?= 1
bench: setup
	$(PY) manage.py bench_ingest
	$(PY) manage.py bench_replies
	$(PY) manage.py bench_retriage
	$(PY) manage.py bench_dashboard
	$(PY) manage.py bench_pages

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
