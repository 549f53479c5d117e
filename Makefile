# Jalon — two commands: `make run` serves the demo, `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# gthread workers: a slow request (a 2-second XLSX export) holds one thread, not a worker.
# Sizing: README.md, "Serving".
WORKERS ?= 2
THREADS ?= 4
# Seconds an idle connection stays open: longer than a person's pause between two clicks, so
# the next request does not race the server closing it (the client would see a reset).
KEEPALIVE ?= 5
ACCESS_LOG ?= -
CATALOGUES := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)

# Locally `make test` skips the slow tests; CI (CI=true) runs them all.
ifeq ($(CI),true)
PYTEST_ARGS ?= -x -q -p no:cacheprovider --durations=25
else
PYTEST_ARGS ?= -x -q -m "not slow"
endif

.PHONY: run serve test install install-test translations lint format clean

run: install $(COMPILED)
	$(BIN)/jalon db upgrade
	$(BIN)/jalon demo seed --if-empty
	@echo "Jalon is serving on http://$(HOST):$(PORT)"
	@$(MAKE) --no-print-directory serve

# The server alone, on a database already migrated (bench/load/run.sh starts it this way too).
serve:
	$(BIN)/gunicorn --worker-class gthread --workers $(WORKERS) --threads $(THREADS) \
		--keep-alive $(KEEPALIVE) --bind $(HOST):$(PORT) --no-control-socket \
		--access-logfile $(ACCESS_LOG) wsgi:app

test: install-test $(COMPILED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest $(PYTEST_ARGS)

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $(VENV)/.installed $@

%.mo: %.po | install
	$(BIN)/pybabel -q compile -i $< -o $@

# Extract the interface strings and merge them into the catalogues (then translate the .po).
translations: install
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		-o app/translations/messages.pot .
	$(BIN)/pybabel -q update -i app/translations/messages.pot -d app/translations \
		--no-fuzzy-matching --ignore-obsolete

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache
	find . -name '*.mo' -path '*/translations/*' -delete
