# The two commands a newcomer needs: `make run` and `make test` (`make test-fast` for the inner loop).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint security format install clean bench bench-saved-searches bench-profile wrk axe esbuild bundle chaos

$(STAMP): requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

## Set up, migrate the SQLite database under instance/, seed demo data, serve on :5000.
run: $(STAMP)
	$(BIN)/python manage.py initdb
	$(BIN)/python manage.py seed
	$(BIN)/python manage.py run --host 127.0.0.1 --port 5000

## Set up and run the whole test suite (SQLite; set TEST_DATABASE_URL for PostgreSQL).
test: $(STAMP)
	$(BIN)/python -m pytest

## The inner loop: every test outside the browser, ops, redis and slow tiers (tests/TestTiers.py).
## Bytecode caching stays on here (Python's default) even where the shell turns it off: the
## compiled modules and rewritten tests are reused from one run of the loop to the next.
test-fast: $(STAMP)
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -m 'not (browser or ops or redis or slow)' $(PYTEST_ARGS)

## Benchmark under gunicorn + wrk against a bare-Flask baseline (bench/RESULTS.md).
## Options through BENCH_ARGS, e.g. make bench BENCH_ARGS='--posts 2000 --databases sqlite'.
bench: $(STAMP) wrk
	$(BIN)/python -m bench $(BENCH_ARGS)
	$(BIN)/python -m bench.BenchSavedSearches

## Saved-search matching with 100,000 saved searches (docs/SAVED_SEARCHES.md): one line, PASS under 100 ms.
bench-saved-searches: $(STAMP)
	$(BIN)/python -m bench.BenchSavedSearches $(BENCH_ARGS)

## Profile the measured endpoints in-process with pyinstrument (and count their SQL queries).
bench-profile: $(STAMP)
	$(BIN)/python -m bench.BenchProfile $(BENCH_ARGS)

## The chaos run (docs/RELIABILITY.md): 10 minutes of students' traffic through nginx to two app
## hosts while Redis, SMTP, the worker, the events process, gunicorn, PostgreSQL and the upload
## folder fail in turn; prints a table per fault and exits 1 if an invariant breaks. Needs root
## (network namespaces), nginx, socat, redis-server, PostgreSQL 15. CHAOS_ARGS='--seconds 120 --short'.
chaos: $(STAMP)
	$(BIN)/python -m tests.chaos $(CHAOS_ARGS)

wrk:
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)

## axe-core for the accessibility browser tests, from the npm registry (not kept in git).
AXE_VERSION := 4.14.1
AXE_FILE := tests/browser/vendor/axe.min.js
axe: $(AXE_FILE)
$(AXE_FILE):
	mkdir -p $(dir $(AXE_FILE))
	cd $(dir $(AXE_FILE)) && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null \
	  && tar -xzf axe-core-$(AXE_VERSION).tgz package/axe.min.js package/LICENSE \
	  && mv package/axe.min.js axe.min.js && mv package/LICENSE LICENSE-axe-core \
	  && rm -rf package axe-core-$(AXE_VERSION).tgz

## esbuild, pinned exactly in package.json and package-lock.json, from the npm registry into
## node_modules/ (not kept in git). Only `make bundle` and the bundle's tests need it: the built
## bundle is committed, so `make run` needs no node.
ESBUILD := node_modules/.bin/esbuild
esbuild: $(ESBUILD)
$(ESBUILD): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --silent
	touch $(ESBUILD)

## Rebuild the client's one script, app/frontend/bundle/main.js, after editing app/static/js/.
bundle: $(STAMP) $(ESBUILD)
	$(BIN)/python manage.py bundle

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Static security analysis of the application code (exceptions are justified inline: nosec).
security: $(STAMP)
	$(BIN)/bandit -r app -q

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
