# alkedash — `make run` starts the app on SQLite, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
PROCS  ?= $(shell nproc)

.PHONY: bench run run-scaled install install-dev node-tools migrate seed demo test lint typecheck clean messages translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

# The Swedish and English catalogues, compiled (alkedash/translation.py reads a .po itself when its
# .mo is missing or older, so a checkout without make still shows every string translated).
LOCALE := alkedash/locale
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard $(LOCALE)/*/LC_MESSAGES/alkedash.po))
$(LOCALE)/%/LC_MESSAGES/alkedash.mo: $(LOCALE)/%/LC_MESSAGES/alkedash.po $(VENV)/.installed
	$(BIN)/pybabel compile -l $* -i $< -o $@
translations: $(CATALOGUES)

install: $(VENV)/.installed translations
install-dev: $(VENV)/.installed-dev translations

## After adding or changing a string in the code: extract, then update both catalogues; fill in the
## new entries' Swedish and English (tests/test_translation.py names every one that is missing).
messages: install-dev
	$(BIN)/pybabel extract -F babel.cfg --no-location --no-wrap --sort-output --omit-header -o $(LOCALE)/alkedash.pot .
	$(BIN)/pybabel update --no-wrap --ignore-obsolete -D alkedash -i $(LOCALE)/alkedash.pot -d $(LOCALE)

## axe-core for tests/test_accessibility.py, exactly as package-lock.json pins it (npm ci). Without
## npm the accessibility test is skipped (it fails in CI, where .ci/run installs nodejs and npm).
## Installed again only when package-lock.json is newer than what npm last installed.
node-tools:
	@if ! command -v npm >/dev/null 2>&1; then \
	  echo "npm not found: tests/test_accessibility.py will be skipped (apt-get install nodejs npm)"; \
	elif [ ! node_modules/.package-lock.json -nt package-lock.json ]; then npm ci --no-audit --no-fund; fi

migrate: install
	$(BIN)/python -m alkedash migrate

seed: install
	$(BIN)/python -m alkedash seed

## Demo data for a rehearsal: 200 participants answering every question.
demo: install
	$(BIN)/python -m alkedash seed --demo 200

run: install
	$(BIN)/python -m alkedash check
	$(BIN)/python -m alkedash init-secrets
	$(BIN)/python -m alkedash seed
	$(BIN)/streamlit run app.py --server.port $(PORT)

## Scaled mode: PROCS app processes behind nginx (sticky by cookie), all on one PostgreSQL
## (ALKEDASH_DATABASE_URL). Migrates and seeds once; Ctrl-C stops everything. See README.
run-scaled: install
	$(BIN)/python deploy/scaled.py --procs $(PROCS) --port $(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-dev
	$(BIN)/mypy

test: install-dev node-tools lint typecheck
	$(BIN)/pytest

## Capacity and durability figures (README "Performance"): about 10 minutes on 2 cores.
bench: install-dev
	PYTHONPATH=. $(BIN)/python -m bench.load
	PYTHONPATH=. $(BIN)/python -m bench.load --burst
	PYTHONPATH=. $(BIN)/python -m bench.screen --inputs 50000
	PYTHONPATH=. $(BIN)/python -m bench.kill

clean:
	rm -rf $(VENV) var node_modules .pytest_cache .mypy_cache .ruff_cache
