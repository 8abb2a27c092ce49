# AutoSales: `make demo` runs the system with demo data, `make test` runs the tests.
# Everything lives in .venv; the project is reinstalled only when pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.autosales-installed
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install demo test lint security messages format migrations-check ci clean-demo

help:
	@echo "make demo              set up and run AutoSales with demo data on http://127.0.0.1:8000"
	@echo "make test              run the test suite (SQLite; set DATABASE_URL=postgres://... for PostgreSQL)"
	@echo "make lint              ruff check and ruff format --check"
	@echo "make security          bandit static scan (fails on high severity)"
	@echo "make messages          extract and compile the 简体中文 catalogue (needs GNU gettext)"
	@echo "make format            ruff format and ruff check --fix"
	@echo "make migrations-check  fail when a model change has no migration"
	@echo "make ci                the full check run (.ci/run)"
	@echo "make clean-demo        delete the demo database under var/"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/autosales demo $(DEMO_ARGS)

test: $(STAMP)
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

security: $(STAMP)
	$(BIN)/bandit -r autosales -lll -q -x '*/tests/*,*/migrations/*'

messages: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py makemessages -l zh_Hans --add-location file --no-obsolete \
		-i ".venv/*" -i "*/tests/*" -i "node_modules/*" -i "bench/*" -i "var/*" -i "conftest.py"
	DEBUG=1 $(BIN)/python manage.py compilemessages -l zh_Hans --ignore ".venv" --ignore "node_modules"

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run

ci:
	bash .ci/run

clean-demo:
	rm -f var/autosales.sqlite3 var/autosales.sqlite3-wal var/autosales.sqlite3-shm
