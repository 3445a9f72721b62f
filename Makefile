# dvctt — run `make help` to list what you can do.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
CAMPAIGN ?= camau-2023
LANG_  ?= vi

.DEFAULT_GOAL := help
.PHONY: help install report report-en demo docs test test-unit lint format lab clean notebook-checks test-durations

help: ## List the targets with what they do
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-15s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --user --name dvctt --display-name "Python (dvctt)" >/dev/null
	@touch $(STAMP)

install: $(STAMP) ## Create .venv if missing, install dvctt (editable) and register the Jupyter kernel "dvctt"

report: $(STAMP) ## Render the default report (Cà Mau 2023) into outputs/camau-2023/
	$(BIN)/dvctt report --campaign $(CAMPAIGN) --lang $(LANG_)

report-en: $(STAMP) ## Render the English version of the default report
	$(BIN)/dvctt report --campaign $(CAMPAIGN) --lang en

demo: $(STAMP) ## Generate the synthetic province (200 000 dossiers) into outputs/demo-province/ and render its report
	$(BIN)/dvctt synth --dossiers 200000 --seed 2023 --out outputs/demo-province && $(BIN)/dvctt report --campaign outputs/demo-province

# nbval in lax mode with this environment's kernel: every notebook cell must run, and cells marked
# "# NBVAL_CHECK_OUTPUT" must reproduce their stored output (see scripts/refresh_notebook_checks.py).
NBVAL := --nbval-lax --nbval-current-env --nbval-sanitize-with=tests/nbval_sanitize.cfg
# pytest-xdist: one worker per core; tests that share a render or a file run in one worker (tests/conftest.py).
WORKERS ?= auto
XDIST   := -n $(WORKERS) --dist loadgroup

test: $(STAMP) ## Run every test: lint, unit tests, end-to-end rendering and notebook validation (nbval)
	$(BIN)/ruff check src tests notebooks benchmarks scripts
	$(BIN)/ruff format --check src tests notebooks benchmarks scripts
	$(BIN)/python -m pytest $(XDIST) tests notebooks $(NBVAL)

test-durations: $(STAMP) ## Re-measure each test's duration (tests/durations.json: the longest groups start first)
	$(BIN)/python scripts/record_test_durations.py

test-unit: $(STAMP) ## Only the fast unit tests
	$(BIN)/python -m pytest $(XDIST) -m "not e2e" tests

lint: $(STAMP) ## ruff check and ruff format --check
	$(BIN)/ruff check src tests notebooks benchmarks scripts
	$(BIN)/ruff format --check src tests notebooks benchmarks scripts

format: $(STAMP) ## Format the code with ruff
	$(BIN)/ruff check --fix src tests notebooks benchmarks scripts
	$(BIN)/ruff format src tests notebooks benchmarks scripts

notebook-checks: $(STAMP) ## Store the key-figure outputs that nbval compares (after a deliberate data change)
	$(BIN)/python scripts/refresh_notebook_checks.py

docs: $(STAMP) ## Build the documentation (docs/vi, docs/en) into site/, readable offline: open site/index.html
	$(BIN)/python -m dvctt.cli.reference >/dev/null
	$(BIN)/python -m mkdocs build --strict --quiet

lab: $(STAMP) ## Open JupyterLab on the project's kernel
	$(BIN)/jupyter lab --notebook-dir=notebooks

clean: ## Remove generated outputs (keeps .venv)
	rm -rf outputs site .pytest_cache
