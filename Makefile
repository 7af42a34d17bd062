# The two commands of the README: `make run` (install, validate, generate) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := tools/node/node_modules/.installed
# Test-only tools: verdaccio (npm registry), cargo-http-registry (Cargo registry) and
# actionlint, each built or installed once into a cache keyed by version, so reruns are fast
# and a fresh machine still gets them (cargo-http-registry compiles: a few minutes once).
TOOLS_CACHE ?= $(HOME)/.cache/specgen-tools
export SPECGEN_TOOLS := $(TOOLS_CACHE)
CHR_VERSION := 0.1.8
ACTIONLINT_VERSION := v1.7.12
CHR := $(TOOLS_CACHE)/cargo-http-registry-$(CHR_VERSION)/bin/cargo-http-registry
ACTIONLINT := $(TOOLS_CACHE)/actionlint-$(ACTIONLINT_VERSION)/actionlint
REGISTRY_STAMP := tools/registries/node_modules/.installed

BROWSER_STAMP := tools/browser/node_modules/.installed
CHROMIUM := /usr/bin/chromium

.PHONY: run test install browser docs test-tools lint bench clean

install: $(STAMP) $(NODE_STAMP)

$(STAMP): requirements/dev.txt pyproject.toml runtimes/python/pyproject.toml generated/python/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	touch $(STAMP)

# Pinned Node tools for the tests: the TypeScript compiler and prettier (generating needs no Node).
$(NODE_STAMP): tools/node/package-lock.json
	cd tools/node && npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

test-tools: $(CHR) $(ACTIONLINT) $(REGISTRY_STAMP)

$(CHR):
	CARGO_TARGET_DIR=$(TOOLS_CACHE)/build cargo install --quiet --locked \
	  --root $(TOOLS_CACHE)/cargo-http-registry-$(CHR_VERSION) cargo-http-registry --version $(CHR_VERSION)
	rm -rf $(TOOLS_CACHE)/build

$(ACTIONLINT):
	GOBIN=$(TOOLS_CACHE)/actionlint-$(ACTIONLINT_VERSION) go install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)

$(REGISTRY_STAMP): tools/registries/package-lock.json
	cd tools/registries && npm ci --no-audit --no-fund --loglevel=error
	touch $(REGISTRY_STAMP)


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
test: install browser test-tools lint
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
