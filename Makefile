# pedkg: every command a new user needs. `make build` and `make test` set up from nothing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ASSETS := service/pedkg/web/assets
VENDOR := service/pedkg/web/static/vendor

.PHONY: serve build test bench load lint typecheck clean

# A virtual environment with pedkg and its development tools, redone when pyproject.toml changes;
# the browser assets (below) are brought up to date with it.
$(STAMP): pyproject.toml | $(VENDOR)/.installed
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The SPARQL editor (YASGUI) from npm at the version package-lock.json pins, copied where Flask
# serves its static files; redone when the lock changes. No page loads anything from a CDN.
$(VENDOR)/.installed: $(ASSETS)/package.json $(ASSETS)/package-lock.json
	cd $(ASSETS) && npm ci --no-audit --no-fund --ignore-scripts
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/yasgui
	cp $(ASSETS)/node_modules/@zazuko/yasgui/build/yasgui.min.js $(ASSETS)/node_modules/@zazuko/yasgui/build/yasgui.min.js.map \
	   $(ASSETS)/node_modules/@zazuko/yasgui/build/yasgui.min.css $(ASSETS)/node_modules/@zazuko/yasgui/package.json $(VENDOR)/yasgui/
	touch $@

## Build the embedded store, then serve SPARQL and the pages on http://127.0.0.1:8000 (Ctrl-C stops).
serve: build
	$(BIN)/pedkg serve

## Validate the sources, build the embedded store, and show how the vocabularies cover it.
build: $(STAMP)
	$(BIN)/pedkg build
	$(BIN)/pedkg query vocabulary-coverage

## Lint, format check, type check and the whole test suite (warnings are errors), on two processes
## (5.5 min on two cores against 8.5 in one: most tests wait on servers and subprocesses).
test: $(STAMP) lint typecheck
	$(BIN)/pytest -q -n 2

## Benchmark pedkg against oxigraph serve, Virtuoso and rdflib-endpoint on the same data and queries:
## `make bench` (100k quads, ~10 min) or `make bench SCALE=1m` (~20 min) or SCALE=5m; never in make test.
## Virtuoso comes from Debian (apt-get install virtuoso-opensource); without it that peer is reported as not run.
## ONTOLOGY=var/ontology/eccode.owl.gz puts a real ontology in place of part of the synthetic data
## (tests/benchmarks/README.md says where to get it; nothing is downloaded).
SCALE ?= 100k
ONTOLOGY ?=
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python tests/benchmarks/bench_sparql.py --scale $(SCALE) $(if $(ONTOLOGY),--ontology $(ONTOLOGY)) $(BENCH_ARGS)

## The 60-second load test: 32 clients mixing queries, pages and searches against pedkg serve on the
## built store; writes tests/benchmarks/results/load.md (LOAD_ARGS="--setting PEDKG_CACHE_BYTES=0" etc.).
LOAD_ARGS ?=
load: build
	cd tests/benchmarks && ../../$(BIN)/python bench_load.py --store ../../var/store $(LOAD_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check service tests
	$(BIN)/ruff format --check service tests

typecheck: $(STAMP)
	$(BIN)/mypy

clean:
	rm -rf var $(VENV) $(VENDOR) $(ASSETS)/node_modules
