# The README commands. `make run` and `make test` need nothing but Python 3.11:
# PostgreSQL is embedded unless DATABASE_URL is set.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000
# Settings read it too: the default PUBLIC_URL (QR codes, verify links) follows it.
export PORT
# Two workers: the suite is I/O-bound on PostgreSQL and the browser.
PYTEST_ARGS ?= -n 2
# The local demo serves plain HTTP; production sets HTTPS (see README).
export HTTPS ?= 0

.PHONY: run test lint bench sandbox messages clean-db backup restore-drill

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.run-deps

run: $(VENV)/.run-deps
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --if-empty
	@echo ""
	@echo "Serving on http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)."
	@echo "A Celery worker and beat run beside the server, as in production: long jobs"
	@echo "(sync now, diploma printing, transcript batches, imports) never run in a request."
	@echo "Ctrl-C stops all three."
	@echo "The demo college pushes to the local national sandbox: start it beside the server"
	@echo "with 'make sandbox' in another terminal, then use 'Sync now' on /admin/sync/dashboard/."
	@echo "E-mails are not sent: each is written as a file to var/mail/."
	$(MANAGE) run_demo 127.0.0.1:$(PORT)

# The local stand-in of the national database (docs/sync.md), on port 8765.
# Fault switches: make sandbox SANDBOX_ARGS="--fail-rate 0.3 --latency-ms 200"
sandbox: $(VENV)/.run-deps
	$(MANAGE) national_sandbox $(SANDBOX_ARGS)

# One backup generation into BACKUP_DIR (default var/backups), then prove it restores
# (docs/operations.md).
backup: $(VENV)/.run-deps
	$(MANAGE) backup

restore-drill: $(VENV)/.run-deps
	$(MANAGE) restore_drill

test: $(VENV)/.dev-deps
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .

bench: $(VENV)/.dev-deps
	$(BIN)/python -m benchmarks $(BENCH)

messages: $(VENV)/.dev-deps
	$(MANAGE) makemessages --locale vi --locale en --ignore '.venv/*' --ignore 'var/*'
	$(MANAGE) compilemessages --ignore '.venv/*'

# Stops nothing: the embedded server stops with the last process using it.
clean-db:
	rm -rf var/pgdata
