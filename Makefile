# luoshi — the one entry point. `make demo` and `make test` are all a new machine needs.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export LUOSHI_DATA_DIR ?= $(CURDIR)/var
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000
ECHARTS := src/luoshi/static/vendor/echarts/echarts.min.js

.PHONY: install assets demo run worker test test-sqlite test-pg lint format migrations-check messages bench clean

install: $(VENV)/.installed assets

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "luoshi needs Python 3.11"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	touch $@

# ECharts from the npm registry at the exact version in package.json, served by the app itself.
assets: $(ECHARTS)
$(ECHARTS): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	mkdir -p $(dir $(ECHARTS))
	cp node_modules/echarts/dist/echarts.min.js $(ECHARTS)

demo: install
	@LUOSHI_MODE=demo bin/demo "$(HOST)" "$(PORT)"

run: demo

test: install lint migrations-check test-sqlite test-pg

lint:
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format:
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

migrations-check:
	LUOSHI_MODE=test $(BIN)/luoshi makemigrations --check --dry-run

test-sqlite:
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest -q -n 2 --dist loadgroup

# PostgreSQL runs when DATABASE_URL is set, or when 127.0.0.1:5432 answers.
test-pg:
	@url="$${DATABASE_URL:-}"; \
	if [ -z "$$url" ] && $(BIN)/python -c 'import socket; socket.create_connection(("127.0.0.1", 5432), 1)' 2>/dev/null; then url="$(PG_URL)"; fi; \
	if [ -z "$$url" ]; then echo "== PostgreSQL not reachable: skipped =="; exit 0; fi; \
	echo "== test suite on PostgreSQL ($$url) =="; \
	DATABASE_URL="$$url" $(BIN)/pytest -q -n 2 --dist loadgroup

# Refresh the Chinese catalogue after changing strings; the compiled .mo is committed so a
# fresh machine needs no gettext tools.
messages:
	cd src/luoshi && LUOSHI_MODE=test ../../$(BIN)/luoshi makemessages -l zh_Hans --no-obsolete --no-location -i 'static/vendor/*'
	cd src/luoshi && LUOSHI_MODE=test ../../$(BIN)/luoshi compilemessages -l zh_Hans

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules var build *.egg-info src/*.egg-info
