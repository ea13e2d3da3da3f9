# The two commands a newcomer needs (see README.md): `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1:8000
DEMO_INMATES ?= 3000
BENCH_N ?= 100000

# Development defaults; production sets DJANGO_DEBUG=0 and a real DJANGO_SECRET_KEY.
export DJANGO_DEBUG ?= 1
export DJANGO_ALLOW_ASYNC_UNSAFE ?= true

SITE ?= koulikoro
.PHONY: walks-modes sites sites-cut sites-restore bench-sync lint test-midnight install messages messages-extract migrate demo audit run test test-fast bench bench-import clean backup restore

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP) messages .env

# A development .env (git-ignored) so that `.venv/bin/python manage.py …` works directly;
# production sets its variables itself and never has this file.
.env:
	printf '# Development settings (git-ignored). Production sets real environment variables.\nDJANGO_DEBUG=1\n' > .env

# Compile the French/English catalogues (msgfmt when present, else pure Python via polib).
messages: $(STAMP)
	$(BIN)/python manage.py compile_translations

# After changing interface strings: refresh both catalogues, then translate locale/en.
messages-extract: $(STAMP)
	$(BIN)/python manage.py makemessages -l fr -l en --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=tests
	$(BIN)/python manage.py makemessages -d djangojs -l fr -l en --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=static/vendor
	$(BIN)/python manage.py sync_french_catalogue

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo --inmates $(DEMO_INMATES) --if-empty
	$(BIN)/python manage.py seed_followup_demo --if-empty
	$(BIN)/python manage.py seal_audit_chain --checkpoint

# The embedded default runs no Celery beat: seal the audit trail's new entries and check it.
audit: install
	$(BIN)/python manage.py seal_audit_chain --checkpoint
	$(BIN)/python manage.py verify_audit_chain

# Backups (README "Sauvegarde et restauration"): database, private media and the audit
# checkpoint file in one archive under backups/; restore into an empty database, then verify.
backup: install
	$(BIN)/python manage.py backup

restore: install
	@test -n "$(ARCHIVE)" || { echo "Usage : make restore ARCHIVE=backups/dnapes-AAAAMMJJ-HHMMSS.tar.gz"; exit 2; }
	$(BIN)/python manage.py restore "$(ARCHIVE)"
	$(BIN)/python manage.py verify_audit_chain

run: demo
	@echo "Serving on http://$(HOST)/ — demo accounts are listed in README.md"
	$(BIN)/python manage.py runserver $(HOST)

# Two worker processes (the machines have two cores); a file's tests stay in one worker.
PYTEST_WORKERS ?= 2
# The exchange's tests (tests/sync: three databases, each test's national database flushed and its
# prisons' databases dropped) run in their own process, so that their flushes never meet the
# serialized-rollback tests of the main run.
test: install
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile --durations=25 --ignore=tests/sync
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile --durations=10 tests/sync
	$(MAKE) --no-print-directory walks-modes

# The date-sensitive tests once more, their clock starting at 23:58 in Bamako (UTC+0): they cross
# midnight while running (tests/frozen_clock.py; every other run starts at a fixed morning).
MIDNIGHT_AT ?= 2026-12-03T23:58:00+00:00
MIDNIGHT_TESTS ?= tests/test_midnight.py tests/prisons/test_dates.py tests/casework/test_sweep.py \
	tests/casework/test_deadline_rules.py tests/casework/test_releases.py tests/oversight/test_reports.py \
	tests/intake/test_services.py tests/inmates/test_movements.py tests/detention/test_services.py
test-midnight: install
	FROZEN_AT=$(MIDNIGHT_AT) $(BIN)/python -m pytest -q $(MIDNIGHT_TESTS)

# The walks as a prison's server (Bamako) and as the national server (tests/walks/site_mode.py).
# `make test` walks the single site in full above; here, in each other mode, only what the mode
# changes: the exchange's routes (their pages and API answer by mode, sync/views.py, sync/api.py)
# in the every-role and the other-prison walks, and the writes (test_site_modes.py: the owner
# writes, anyone else is refused, 403). A GET of any other route reads the same records whatever
# the mode (the mode's guard, sync/capture.py, acts on writes only): the full walks in both modes,
# for a change that touches that, are `make walks-modes WALK_FULL=1` (long: every route).
WALK_FULL ?=
walks-modes: install
	$(foreach mode,prison national,WALK_SITE_MODE=$(mode) $(BIN)/python -m pytest -q -p no:randomly \
	  tests/walks/test_site_modes.py tests/walks/test_every_role.py tests/walks/test_other_prison.py \
	  $(if $(WALK_FULL),,-k "sync or site_modes") &&) true

test-fast: install
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile -m "not browser" --ignore=tests/sync

# Benchmarks (PostgreSQL; each empties the detainee tables of its own database, whose name
# must contain "bench"): deadline sweep + backlog report vs hand-written SQL, duplicate
# matching, oversight reports. BENCH_N=1000000 for the full run.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/dnapes_bench
bench: install
	psql "$(BENCH_DATABASE_URL)" -c "SELECT 1" >/dev/null 2>&1 || createdb -h 127.0.0.1 -U postgres dnapes_bench
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py bench --n $(BENCH_N)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py bench_matching --n $(BENCH_N)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py bench_reports --n $(BENCH_N)

# The paper-register back-fill on a whole prison (3,600 people, Bamako): check and import
# timed on a fresh PostgreSQL database (goal: check <= 30 s, import <= 2 min).
BENCH_IMPORT_ROWS ?= 3600
BENCH_IMPORT_DB ?= dnapes_bench_import
bench-import: install
	dropdb -h 127.0.0.1 -U postgres --if-exists $(BENCH_IMPORT_DB)
	createdb -h 127.0.0.1 -U postgres $(BENCH_IMPORT_DB)
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_IMPORT_DB) $(BIN)/python manage.py migrate --noinput -v0
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_IMPORT_DB) $(BIN)/python manage.py bench_import --rows $(BENCH_IMPORT_ROWS)

# A national server and two prison servers on one machine (ports 8000, 8001, 8002), exchanging
# every few seconds; cut and restore one prison's link with sites-cut / sites-restore SITE=<name>.
SITES_ARGS ?=
sites: install
	$(BIN)/python manage.py run_sites $(SITES_ARGS)

sites-cut:
	mkdir -p var/sites && touch var/sites/$(SITE).offline && echo "$(SITE): liaison coupée"

sites-restore:
	rm -f var/sites/$(SITE).offline && echo "$(SITE): liaison rétablie"

# The exchange's benchmark: a day at Bamako, the first exchange of a 3,600-person prison, a week offline.
bench-sync: install
	$(BIN)/pytest tests/sync/bench_sync.py -q -s -p no:randomly -n 0 -o python_files=bench_*.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles

# The linter (configuration in pyproject.toml); CI runs it before the tests.
lint: $(STAMP)
	$(BIN)/ruff check .
