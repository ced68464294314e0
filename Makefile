# Two promises: `make run` (the app with sample data on the embedded PostgreSQL) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEV := DJANGO_DEBUG=1 DJANGO_SECRET_KEY=dev-only-insecure-key
# Development settings for `manage.py` typed by hand in this checkout (README's commands): git-ignored, under .data.
DEV_ENV ?= .data/dev.env

.PHONY: install dev-env run migrate fixtures lint test test-fast db-stop bench bench-scale clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

# Written once (a second run keeps the key): manage.py reads it when the environment configures nothing itself.
$(DEV_ENV):
	@mkdir -p $(dir $@)
	@printf '# Development settings for manage.py in this checkout (make dev-env). Never used by gunicorn.\nDJANGO_DEBUG=1\nDJANGO_SECRET_KEY=%s\n' \
		"$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "→ $@: manage.py runs with development settings in this checkout"

dev-env: $(DEV_ENV)

migrate: install $(DEV_ENV)
	$(DEV) $(PY) manage.py migrate --noinput

fixtures: migrate
	$(DEV) $(PY) manage.py import_articles fixtures/
	$(DEV) $(PY) manage.py train_tag_suggestions

# The indexer runs beside the development server, as it runs beside gunicorn in production (docs/deploy.md).
run: fixtures
	@echo "→ http://$(HOST):$(PORT)/"
	$(DEV) $(PY) manage.py run_indexer -v 0 & indexer=$$!; trap 'kill $$indexer 2>/dev/null' EXIT INT TERM; \
	$(DEV) $(PY) manage.py runserver $(HOST):$(PORT)

# ruff (settings in pyproject.toml): the formatter, then pyflakes, isort, bugbear and pyupgrade. CI runs it first.
lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

test: install
	$(VENV)/bin/pytest

test-fast: install
	$(VENV)/bin/pytest -m "not slow and not browser"

db-stop: install
	$(DEV) $(PY) manage.py embedded_pg stop

bench: install
	$(PY) bench/import_bench.py
	$(PY) bench/search_bench.py

bench-scale: install
	$(VENV)/bin/pip install --quiet -r bench/requirements.txt
	DJANGO_DEBUG=1 $(PY) bench/scale/run.py --sizes 100000,300000,1000000 --reindex

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
