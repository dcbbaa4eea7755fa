# Mini-InstaPay. The two commands a new machine needs: `make up` and `make test`.
# Both install what they need (Python deps via uv into .venv, npm deps for the web app).
SHELL := /bin/bash
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
# Byte-compile dependencies at install: where PYTHONDONTWRITEBYTECODE is set (CI images, sandboxes)
# Python never writes .pyc files itself, and each of the stack's ten processes would compile every
# module it imports on each start (~3 s of CPU per service; `make up` took twice as long).
export UV_COMPILE_BYTECODE := 1
UV_VERSION := 0.13.9
# Recursively expanded, so only the recipes that install pay for the lookup (~0.4 s through pyenv shims).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { command -v $$p; break; }; done)
UV := .tools/bin/uv
VENV_PY := .venv/bin/python
PYTEST := $(VENV_PY) -m pytest
# The Python suite (test-python) on two pytest-xdist workers: much of their time is spent
# waiting on stacks, sleeps and the database, so two workers keep both cores busy. Each worker has
# its own databases, stacks, ports and temp dirs (instapay_stack.testing); a file's tests stay on one
# worker, so its module fixtures are built once. PYTEST_PARALLEL= runs them in one process.
PYTEST_PARALLEL ?= -n 2 --dist loadfile
# Suites that `make test` runs after the Python tests; mk/*.mk files append to it.
TEST_SUITES :=
UP_PREREQS :=

# Area makefiles (frontend, infra, observability, ...) add targets and extend the lists above.
# Included before the rules below so that `up: ... $(UP_PREREQS)` sees their additions.
-include mk/*.mk

.PHONY: help install up test test-python lint typecheck api-reference check-python

help: ## list targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-18s %s\n", $$1, $$2}'

# A recipe line, not a prerequisite: a phony prerequisite would run (and look Python up) on every make.
REQUIRE_PYTHON = @test -n "$(PYTHON)" || { echo "error: Python 3.11 or newer is needed (none found on PATH)."; exit 1; }

check-python:
	$(REQUIRE_PYTHON)

$(UV):
	$(REQUIRE_PYTHON)
	@echo "==> installing uv $(UV_VERSION) into .tools/"
	@$(PYTHON) -m venv .tools
	@.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# The stamp's name changed when installs started byte-compiling: an older .venv is synced once more.
VENV_STAMP := .venv/.installed

$(VENV_STAMP): uv.lock pyproject.toml $(wildcard services/*/pyproject.toml) infrastructure/local/pyproject.toml sdk/python/pyproject.toml | $(UV)
	$(REQUIRE_PYTHON)
	@echo "==> installing Python dependencies (uv sync --locked, byte-compiled)"
	@$(UV) sync --locked --python $(PYTHON) --quiet
	@touch $@

install: $(VENV_STAMP) ## install every dependency

up: install $(UP_PREREQS) ## start the whole platform (embedded PostgreSQL unless DATABASE_URL is set)
	@$(VENV_PY) -m instapay_stack.cli up

migrate: install ## migrate every schema to head
	@$(VENV_PY) -m instapay_stack.cli migrate

test: install ## run every test suite
	@$(MAKE) --no-print-directory lint test-python $(TEST_SUITES)
	@echo "==> all test suites passed"

test-python: install
	@echo "==> Python tests (services, gateway, end-to-end)"
	@$(PYTEST) -q $(PYTEST_PARALLEL)

lint: install ## ruff (lint and format) on every Python file, mypy on every package
	@echo "==> ruff"
	@$(UV) run --no-sync ruff check .
	@$(UV) run --no-sync ruff format --check --quiet .
	@$(MAKE) --no-print-directory typecheck

# Every importable package, all strict (pyproject [tool.mypy]).
MYPY_PACKAGES := instapay_common instapay_stack auth_service user_service transaction_service \
	reporting_service notification_service api_gateway outbox_relay provider_simulator instapay_sdk

typecheck: install ## mypy over every service package, the relay and the library
	@echo "==> mypy"
	@$(VENV_PY) -m mypy $(addprefix -p ,$(MYPY_PACKAGES))

api-reference: install ## regenerate docs/API_REFERENCE.md from the gateway's merged OpenAPI
	@$(VENV_PY) -m api_gateway.api_reference > docs/API_REFERENCE.md
	@echo "wrote docs/API_REFERENCE.md"

