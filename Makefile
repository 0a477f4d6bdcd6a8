# Quick start: `make run` (demo site on http://127.0.0.1:8000/) and `make test`.
# `make run PORT=8001 HOST=0.0.0.0` serves elsewhere; the demo's links follow.
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
SERVE_ENV = WAGTAILADMIN_BASE_URL=http://$(HOST):$(PORT)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo lint format bench bench-client loadtest messages clean

# Not an editable install: the project runs from this checkout (manage.py); installing
# it only pulls the dependencies.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet '.[test]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(SERVE_ENV) $(PY) manage.py load_demo

# The demo's Site record (absolute URLs of the API, emails) follows HOST and PORT.
run: demo
	$(SERVE_ENV) $(PY) manage.py set_site_address
	$(SERVE_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The portal against a stock Wagtail project built beside it, both under gunicorn
# (exits 1 when a target is missed); a few minutes on 2 cores.
bench: install
	$(PY) tests/benchmarks/server_bench.py $(BENCH_ARGS)

# The test-client benchmarks (form wizard, 20,000 mediation sites, devices, documents).
bench-client: install
	$(PY) -m pytest tests/benchmarks -s -p no:randomly --no-header -q -o addopts="" --ds=tests.benchmarks.settings

# Two gunicorn instances on a throwaway PostgreSQL, a real Redis and a db_worker: 50 people
# pledging for 60 s, 20 readers, a publish every 10 s, one instance killed half-way
# (shorter: BENCH_ARGS="--people 8 --seconds 15 --readers 4"). The older single-instance
# load test (SQLite then PostgreSQL): tests/benchmarks/server_bench.py --load.
loadtest: install
	$(PY) tests/benchmarks/fault_bench.py $(BENCH_ARGS)

# Maintainers only (needs gettext): refresh and compile the French catalogue.
messages: install
	$(PY) manage.py makemessages -l fr --ignore=.venv --ignore=tests
	$(PY) manage.py compilemessages -l fr --ignore=.venv

clean:
	rm -rf $(VENV) var media staticfiles
