# TUNTAS — the two commands: `make demo` and `make test`.
# Each creates .venv and installs what is needed on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   ?= demo
SEED   ?= 1

.PHONY: demo test test-fast lint bench install clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Generate Klaten's synthetic registries, import them into SQLite and print the summary.
demo: $(STAMP)
	$(BIN)/tuntas demo --dir $(DEMO) --seed $(SEED)

## All tests: SQLite and PostgreSQL (a throw-away cluster is started by the test session).
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

## Tests without the full-scale calibration runs.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks conftest.py
	$(BIN)/ruff format --check src tests benchmarks conftest.py
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .mypy_cache .ruff_cache
