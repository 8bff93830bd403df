# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint security format install clean

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
