# gameday — two commands matter: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit gameday-test bench dashboard clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/gameday validate scenarios runbooks
	$(BIN)/gameday compare scenarios/seed-benchmark.yaml -n 100 --out results/seed-benchmark

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

# The shipped scenarios and runbooks test themselves (expectations, runbook drills).
gameday-test: $(STAMP)
	$(BIN)/gameday test scenarios runbooks --quiet --junit build/gameday-junit.xml --journal build/gameday-journals

test: lint typecheck unit gameday-test

bench: $(STAMP)
	for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

dashboard: $(STAMP)
	$(BIN)/gameday dashboard

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
