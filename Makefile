# gameday — two commands matter: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit gameday-test bench dashboard clean fuzz

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

# Long fuzzing: 2,600 x 7.75 (the shares of the document kinds) = 20,150 documents and
# 5,000 payloads through the loaders, gameday validate, gameday triage and a short run;
# prints the counts.
FUZZ_COUNTS := build/fuzz-counts
fuzz: $(STAMP)
	rm -rf $(FUZZ_COUNTS) && mkdir -p $(FUZZ_COUNTS)
	GAMEDAY_FUZZ_COUNTS=$(FUZZ_COUNTS) GAMEDAY_FUZZ_EXAMPLES=2600 GAMEDAY_FUZZ_PAYLOADS=5000 \
		$(BIN)/python -m pytest tests/hardening/test_fuzz.py -n 2 -q
	$(BIN)/python tests/hardening/fuzz_counts.py $(FUZZ_COUNTS) 20000 5000

bench: $(STAMP)
	for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

dashboard: $(STAMP)
	$(BIN)/gameday dashboard

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
