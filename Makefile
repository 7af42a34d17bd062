# The two commands of the README: `make run` (install, validate, generate) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := tools/node/node_modules/.installed
BROWSER_STAMP := tools/browser/node_modules/.installed
CHROMIUM := /usr/bin/chromium

.PHONY: run test install browser docs lint bench clean

install: $(STAMP) $(NODE_STAMP)

$(STAMP): requirements/dev.txt pyproject.toml runtimes/python/pyproject.toml generated/python/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	touch $(STAMP)

# Pinned Node tools: the TypeScript compiler and prettier for the generator and tests.
$(NODE_STAMP): tools/node/package-lock.json
	cd tools/node && npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# The catalog's browser tests: Debian's Chromium (apt, as root or through sudo) driven by the
# pinned playwright-core, which never downloads a browser of its own.
browser: $(BROWSER_STAMP) $(CHROMIUM)

$(BROWSER_STAMP): tools/browser/package-lock.json
	cd tools/browser && npm ci --no-audit --no-fund --loglevel=error
	touch $(BROWSER_STAMP)

$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq chromium

## The event catalog of spec/, a static HTML site, in build/catalog/.
docs: install
	$(BIN)/specgen docs spec --out build/catalog

## Validate the spec, regenerate every package under generated/, build the event catalog
## (build/catalog/), then run the fleet demo: a local hub and two sites, commissioned, one
## link cut and restored, catch-up measured.
run: install
	$(BIN)/specgen validate spec
	$(BIN)/specgen generate
	$(BIN)/specgen docs spec --out build/catalog
	$(BIN)/specgen demo

## Everything CI checks: spec, generated code up to date, lint, types, the whole test suite.
test: install browser lint
	$(BIN)/specgen validate spec
	$(BIN)/specgen generate --check
	$(BIN)/python -m pytest; status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; \
	  exit $$status

lint: install
	$(BIN)/ruff check generator runtimes tests bench
	$(BIN)/ruff format --check generator runtimes tests bench
	$(BIN)/mypy --strict generator/specgen runtimes/python/src generated/python/src

## Every benchmark of bench/ as one table (ratios against baselines of the same run).
bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build/catalog test-output
