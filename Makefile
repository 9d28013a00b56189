# pedkg: every command a new user needs. `make build` and `make test` set up from nothing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: build test check lint typecheck clean

# A virtual environment with pedkg and its development tools, redone when pyproject.toml changes.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Validate the sources, build the embedded store, and show the diseases with their codes.
build: $(STAMP)
	$(BIN)/pedkg build
	$(BIN)/pedkg query diseases-with-codes --format csv | head -n 25

## Lint, format check, type check and the whole test suite (warnings are errors).
test: $(STAMP) lint typecheck
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check service tests
	$(BIN)/ruff format --check service tests

typecheck: $(STAMP)
	$(BIN)/mypy

clean:
	rm -rf var $(VENV)
