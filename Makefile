# WarmHome (温馨家园). `make run` serves the demo; `make test` runs the whole suite.
# Both find a Python >= 3.12 by themselves (pyenv installs included) and build .venv once.

PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
# Reinstall only when the dependencies change.
STAMP := $(VENV)/.installed-stamp
PIP := $(BIN)/python -m pip -qq --disable-pip-version-check --no-input
WARMHOME := $(BIN)/warmhome
export PIP_ROOT_USER_ACTION := ignore

.DEFAULT_GOAL := help
.PHONY: help venv run test lint check-deploy demo messages bench clean

help:
	@echo "make run [PORT=8000]  demo on SQLite: migrate, load demo data, serve web + worker"
	@echo "make test             the whole test suite (DATABASE_URL=postgres://... for PostgreSQL)"
	@echo "make lint             ruff check, ruff format --check, import contracts, mypy"
	@echo "make check-deploy     Django's deployment checks under the production profile"
	@echo "make demo             load the demo data set (idempotent) and list the demo logins"
	@echo "make messages         refresh and compile the translation catalogues"
	@echo "make bench            quick benchmarks on scratch SQLite (BENCH_DATABASE_URL=postgres://.../bench_x for PostgreSQL)"
	@echo "make clean            remove .venv, caches and collected static files"

# The first of: $(PYTHON), python3.13, python3.12, python3, then pyenv's 3.12+ installs, that
# really runs and is >= 3.12 (pyenv shims exist for versions that are not selected, and fail).
define find_python
is_ok() { "$$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }; \
if [ -n "$(PYTHON)" ]; then \
	if is_ok "$(PYTHON)"; then echo "$(PYTHON)"; exit 0; fi; \
	echo "PYTHON=$(PYTHON) is not a Python >= 3.12." >&2; exit 1; \
fi; \
pyenv_root=$$(pyenv root 2>/dev/null || true); \
for candidate in python3.13 python3.12 python3 \
		$${pyenv_root:+$$pyenv_root/versions/3.1[2-9]*/bin/python} \
		$$HOME/.pyenv/versions/3.1[2-9]*/bin/python; do \
	if is_ok "$$candidate"; then echo "$$candidate"; exit 0; fi; \
done; \
echo "No Python >= 3.12 found. Install one (e.g. 'pyenv install 3.12') or pass PYTHON=/path/to/python3.12." >&2; \
exit 1
endef

venv: $(STAMP)

$(STAMP): pyproject.toml
	@if ! [ -x $(BIN)/python ] || ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		python=$$( $(find_python) ) || exit 1; \
		echo "Creating $(VENV) with $$python ($$("$$python" --version))"; \
		rm -rf $(VENV) && "$$python" -m venv $(VENV) || exit 1; \
	fi
	@echo "Installing WarmHome and its test dependencies into $(VENV) ..."
	@$(PIP) install -e '.[test]'
	@touch $@

run: $(STAMP)
	@mkdir -p var
	@$(WARMHOME) migrate --noinput -v 0
	@$(WARMHOME) demo load
	@$(WARMHOME) collectstatic --noinput -v 0
	@$(WARMHOME) serve --port $(PORT)

demo: $(STAMP)
	@mkdir -p var
	@$(WARMHOME) migrate --noinput -v 0
	@$(WARMHOME) demo load
	@$(WARMHOME) demo logins

# DATABASE_URL passes through from the environment: unset means a throw-away SQLite database.
test: $(STAMP)
	@$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy src

check-deploy: $(STAMP)
	@sh scripts/check-deploy.sh

# Chinese msgids (docs/decisions/0004); the English catalogue lives in src/warmhome/locale and
# both the .po and the compiled .mo are committed (docs/i18n.md). Run from src/warmhome so that
# only our sources are scanned; tests/core/test_catalogue.py extracts with the same options.
messages: $(STAMP)
	@mkdir -p src/warmhome/locale
	cd src/warmhome && $(CURDIR)/$(WARMHOME) makemessages -l en --no-obsolete --add-location=file
	cd src/warmhome && $(CURDIR)/$(WARMHOME) compilemessages -l en

# Quick versions of bench/ (small N) so they keep working; full-scale commands: docs/benchmarks.md.
# Never the DATABASE_URL of the environment: a scratch SQLite file, or BENCH_DATABASE_URL (a
# PostgreSQL database named bench*, created and dropped by the scripts).
BENCH_ENV := env -u DATABASE_URL $(if $(BENCH_DATABASE_URL),DATABASE_URL=$(BENCH_DATABASE_URL))
bench: $(STAMP)
	$(BENCH_ENV) $(BIN)/python bench/people_data.py --persons 2000
	$(BENCH_ENV) $(BIN)/python bench/search_people.py --persons 5000 --queries 20
	$(BENCH_ENV) $(BIN)/python bench/import_people.py --rows 200
	env -u DATABASE_URL $(BIN)/python bench/import_orgs.py --rows 500
	$(BENCH_ENV) $(BIN)/python bench/coverage.py --scale 0.01 --runs 3
	$(BENCH_ENV) $(BIN)/python bench/checkin.py --requests 300 --duration 5 --warmup 50
	$(BENCH_ENV) $(BIN)/python bench/volunteer_hours.py --scale 0.001 --runs 3
	$(BENCH_ENV) $(BIN)/python bench/relief_fund.py --applications 50 --runs 3
	$(BIN)/python bench/opinions_classify.py --texts 5000
	$(BENCH_ENV) $(BIN)/python bench/opinions_analysis.py --opinions 2000 --runs 3

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache var/static
	find src tests -name __pycache__ -type d -prune -exec rm -rf {} +
