# taizhang — the two commands of the quick start are `make run` and `make test`; each installs what it needs.
SHELL := /bin/bash
PYTHON ?= $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export TAIZHANG_DATA_DIR ?= $(CURDIR)/var
# The PostgreSQL server the suite runs on a second time; pytest-django creates and drops test_<name>.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_WORKERS ?= 2

.PHONY: help setup run serve demo test lint fmt test-sqlite test-postgres test-e2e messages clean bench

help:
	@echo "make run    — install, load the demo on SQLite, serve on http://127.0.0.1:$(PORT)/"
	@echo "make test   — install, then ruff, mypy, migrations check, pytest on SQLite (with browser tests) and PostgreSQL"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed
	scripts/ensure-system-packages

run: setup
	DEBUG=1 $(BIN)/taizhang migrate --no-input -v0
	DEBUG=1 $(BIN)/taizhang demo
	DEBUG=1 $(BIN)/taizhang serve --port $(PORT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src tests $(wildcard bench/*.py)

fmt: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: setup
	scripts/ensure-system-packages --browser
	$(MAKE) lint
	TAIZHANG_TESTING=1 $(BIN)/taizhang makemigrations --check --dry-run -v0
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

test-sqlite: setup
	TAIZHANG_TESTING=1 $(BIN)/pytest -n $(PYTEST_WORKERS) --cov=taizhang --cov-report=term:skip-covered -q

test-postgres: setup
	TAIZHANG_TESTING=1 DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest -n $(PYTEST_WORKERS) -q -m "not e2e"

test-e2e: setup
	scripts/ensure-system-packages --browser
	TAIZHANG_TESTING=1 $(BIN)/pytest -q -m e2e

# The small scale profile end to end on PostgreSQL (100,000 problems; docs/scale.md): writes BENCHMARKS.md.
bench: setup
	$(BIN)/python bench/scale_bench.py --profile small

messages: setup
	cd src/taizhang && ../../$(BIN)/taizhang makemessages -l zh_Hans -l en --no-obsolete --add-location file
	cd src/taizhang && ../../$(BIN)/taizhang compilemessages

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .mypy_cache .ruff_cache .coverage
