# Two commands for a newcomer: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
export DJANGO_SETTINGS_MODULE := digibank.settings
# Bytecode is written even where the environment says not to: without it every test worker
# compiles Django and rewrites every test module again, half a minute of CPU per run.
export PYTHONDONTWRITEBYTECODE :=

# Find a Python >= 3.12: the PATH first, then pyenv's installed versions.
PYTHON ?= $(shell for c in python3.14 python3.13 python3.12 python3 \
	$$(ls -d $$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	    command -v $$c; break; fi; done)

.PHONY: run test test-moved-clock install install-test messages messages-update messages-check lint demo worker bench clean check-python

check-python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "ERROR: Digibank needs Python 3.12 or newer (Django 6). None was found on PATH or in pyenv."; \
	  echo "Install one (e.g. 'pyenv install 3.13') or run: make PYTHON=/path/to/python3.12 run"; exit 1; fi

$(BIN)/uv: | check-python
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv

$(VENV)/.installed: $(BIN)/uv pyproject.toml uv.lock
	UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv sync --locked --inexact --quiet --compile-bytecode --python $(BIN)/python
	@touch $@

$(VENV)/.installed-test: $(BIN)/uv pyproject.toml uv.lock
	UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv sync --locked --quiet --compile-bytecode --group test --python $(BIN)/python
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

messages: $(VENV)/.installed
	@DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv -v 0

# Refresh the catalogues from the source (translations kept, new strings empty, no fuzzy guesses).
# English is regenerated from the msgids every time (msgen); the new-file header is not fuzzy.
messages-update: $(VENV)/.installed
	rm -f locale/en/LC_MESSAGES/django.po
	DEBUG=1 $(BIN)/python manage.py makemessages -l nl -l fr -l en --ignore=.venv --ignore=tests --no-location -v 0
	msgen --no-wrap -o locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po
	for lang in nl fr en; do sed -i '1,12{/^#, fuzzy$$/d}' locale/$$lang/LC_MESSAGES/django.po; done

# Fails when any string lacks a translation or is fuzzy (CI gate).
messages-check: messages-update
	@status=0; for lang in nl fr en; do \
	  stats=$$(msgfmt --check-format --statistics -o /dev/null locale/$$lang/LC_MESSAGES/django.po 2>&1); \
	  echo "$$lang: $$stats"; \
	  if echo "$$stats" | grep -qE "untranslated|fuzzy"; then status=1; fi; done; \
	  if [ $$status -ne 0 ]; then echo "ERROR: translations incomplete (run make messages-update and translate)"; fi; exit $$status

run: export DEBUG ?= 1
run: install messages
	@mkdir -p var
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py demo --if-empty
	$(BIN)/python manage.py devserver 127.0.0.1:8000

demo: export DEBUG ?= 1
demo: install messages
	@mkdir -p var
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py demo

worker: export DEBUG ?= 1
worker: install
	$(BIN)/python manage.py db_worker

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run -v 0

# worksteal: each worker takes a contiguous half of the ordered tests (so a module's shared data
# is built about once) and steals from the other's tail when it runs out.
test: install-test messages
	@mkdir -p var
	$(BIN)/python -m pytest -n 2 --dist worksteal -q $(PYTEST_ARGS)

# The suite with the clock moved (tests must not depend on the day they run), e.g.
# make test-moved-clock NOW=2027-03-28T02:30:00+01:00
NOW ?= 2028-02-29T09:00:00+01:00
test-moved-clock: export DIGIBANK_TEST_NOW = $(NOW)
test-moved-clock: test

# Query counts and response times of the main pages on the demo network (figures, no asserts).
bench: install messages
	@mkdir -p var
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) var/*.sqlite3 staticfiles
