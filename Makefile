# The two commands of the README: `make run` (install, validate, generate) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := tools/node/node_modules/.installed

.PHONY: run test install lint bench clean

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

## Validate the spec, regenerate every package under generated/, then run the fleet demo:
## a local hub and two sites, commissioned, one link cut and restored, catch-up measured.
run: install
	$(BIN)/specgen validate spec
	$(BIN)/specgen generate
	$(BIN)/specgen demo

## Everything CI checks: spec, generated code up to date, lint, types, the whole test suite.
test: install lint
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
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
