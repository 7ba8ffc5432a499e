# Set-up, run, test and lint. `make run` and `make test` work on a fresh
# machine that has only Python 3.11+; everything else is installed here.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BENCH_SIZES ?= 10000 100000 1000000
# One pytest worker per core; the slow layers (browser, worker, schemathesis)
# still run once each, and loadgroup keeps the live-server layer's tests on
# one worker, so its server is built once.
PYTEST_ARGS ?= -n auto --dist loadgroup

.PHONY: run setup install messages gettext test browser mailserver lint typecheck architecture mutation bench loadtest backup restore screenshots clean .env

run: setup
	@echo "Serving http://127.0.0.1:8000 with a Celery worker and beat (Ctrl-C stops all)."
	$(VENV)/bin/honcho -f Procfile.dev start

# generate_demo_data loads the report's autumn of 2010 for the dashboard and
# the report once (a few minutes on SQLite); later runs find it and skip.
setup: install .env messages var
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_reference_data
	$(PY) manage.py load_report_data
	$(PY) manage.py generate_demo_data --profile report-2010 --if-empty
	$(PY) manage.py seed_demo

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

.env: | install
	$(PY) scripts/write_env.py .env

var:
	mkdir -p var/celery/queue var/celery/control var/media

messages: install
	$(VENV)/bin/pybabel compile --domain=django --directory=locale --statistics

# Debian's Chromium drives the browser tests (a test tool's own browser
# download cannot work here); poppler-utils' pdftotext reads the report's PDF.
browser:
	@command -v chromium >/dev/null || { $(SUDO) apt-get install -y chromium || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; }; }
	@command -v pdftotext >/dev/null || { $(SUDO) apt-get install -y poppler-utils || { $(SUDO) apt-get update && $(SUDO) apt-get install -y poppler-utils; }; }

# The mailroom tests poll a private Dovecot (tests/mailroom/imap_server.py)
# started on a free loopback port with its own configuration; only the
# package is needed, its system service is never used.
mailserver:
	@command -v dovecot >/dev/null || [ -x /usr/sbin/dovecot ] || { $(SUDO) apt-get install -y dovecot-imapd || { $(SUDO) apt-get update && $(SUDO) apt-get install -y dovecot-imapd; }; }

# makemessages (scripts/check_messages.py in lint) calls GNU gettext's xgettext.
gettext:
	@command -v xgettext >/dev/null || { $(SUDO) apt-get install -y gettext || { $(SUDO) apt-get update && $(SUDO) apt-get install -y gettext; }; }

test: install .env messages var browser mailserver gettext
	$(PY) -m pytest $(PYTEST_ARGS)

# Mutation testing of the critical modules (docs/testing.md): every module,
# or MODULES="cpr due", or BASE=main for those a branch changed (FALLBACK=
# when none did). No new mutant starts after BUDGET=seconds. Its own var
# directory, so it never shares a test database with `make test`; SQLite.
MUTATION_VAR := $(CURDIR)/var/mutation
mutation: install .env messages
	mkdir -p $(MUTATION_VAR)/celery/queue $(MUTATION_VAR)/celery/control $(MUTATION_VAR)/media
	env -u DATABASE_URL -u CELERY_BROKER_URL -u CACHE_URL NEMID_VAR_DIR=$(MUTATION_VAR) \
	  $(PY) scripts/mutation.py --report $(MUTATION_VAR)/report.json \
	  $(if $(MODULES),--module $(MODULES)) $(if $(BASE),--changed $(BASE) --fallback $(FALLBACK)) \
	  $(if $(BUDGET),--budget $(BUDGET))

# The deploy check runs with the README's production variables (and a
# throwaway key), so a setting that weakens production fails lint.
lint: install .env gettext
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py check
	DJANGO_DEBUG=false \
	DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	DJANGO_ALLOWED_HOSTS=sager.example.dk \
	DJANGO_CSRF_TRUSTED_ORIGINS=https://sager.example.dk \
	DJANGO_SECURE_COOKIES=true \
	DJANGO_SECURE_PROXY_SSL_HEADER=true \
	DJANGO_SECURE_SSL_REDIRECT=true \
	DJANGO_SECURE_HSTS_SECONDS=31536000 \
	DJANGO_SECURE_HSTS_PRELOAD=true \
	$(PY) manage.py check --deploy --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/check_messages.py
	$(VENV)/bin/lint-imports
	$(PY) scripts/architecture_deps.py --check
	$(VENV)/bin/mypy .

# mypy alone, as lint runs it (pyproject.toml): strict on every app's
# services, models and tasks, the baseline elsewhere. The Django plugin
# reads the settings, hence .env; the cache is .mypy_cache/.
typecheck: install .env
	$(VENV)/bin/mypy .

# docs/architecture-deps.mmd: the apps' dependencies as drawn from the code
# (grimp, the graph lint-imports checks); lint fails when it is stale.
architecture: install
	$(PY) scripts/architecture_deps.py

# The whole database to one file (var/backups/ unless FILE=...); see
# docs/security.md. The keys in .env are not in it: back them up apart.
backup: install .env var
	$(PY) manage.py backup_database $(if $(FILE),--output "$(FILE)")

# Replaces the database's content with FILE (asks first); stop the app first.
restore: install .env
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=var/backups/nemid-....sqlite3|dump"; exit 2; }
	$(PY) manage.py restore_database "$(FILE)"

# Each role's main pages at 1366x768 on the demo data, for the README.
screenshots: setup browser
	$(PY) scripts/screenshots.py

bench: install .env messages var
	$(PY) -m benchmarks $(BENCH_SIZES)

# gunicorn (DEBUG off) on loopback under locust: 270 agents, managers, API
# clients for 3 minutes each on the benchmarks' 1M database (docs/benchmarks.md).
# LOADTEST_ARGS="--size 100000 --agents 90 --record" and so on.
LOADTEST_ARGS ?=
loadtest: install .env messages var
	$(PY) -m benchmarks.load $(LOADTEST_ARGS)

clean:
	rm -rf var staticfiles .pytest_cache
