# Quick start: `make run` (demo site on http://127.0.0.1:8000/) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo lint format bench messages clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	$(PY) -m pytest tests/benchmarks -s -p no:randomly --no-header -q -o addopts="" --ds=tests.benchmarks.settings

# Maintainers only (needs gettext): refresh and compile the French catalogue.
messages: install
	$(PY) manage.py makemessages -l fr --ignore=.venv --ignore=tests
	$(PY) manage.py compilemessages -l fr --ignore=.venv

clean:
	rm -rf $(VENV) var media staticfiles
