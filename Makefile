# The two quick-start commands: `make demo` (the main job) and `make test`.
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup demo test test-slow test-all lint serve check guide bench

setup:
	@bash scripts/bootstrap.sh

# The main job: every flow on both phones against the embedded simulator, then the guide.
demo: setup
	$(BIN)/guideshot run -j 2
	$(BIN)/guideshot guide

serve: setup
	$(BIN)/guideshot serve

check: setup
	$(BIN)/guideshot check -j 2

guide: setup
	$(BIN)/guideshot guide

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The README's test command: lint, then every test but the slow end-to-end CLI runs, with
# every flow × device checked against screenshots/. Spread over the machine's cores, a
# test file per worker at a time: a module's Playwright (module-scoped fixtures) keeps an
# event loop running in its worker, and a test of another file starting Playwright there
# meanwhile is refused (worksteal interleaved files: CI-found).
PYTEST_PARALLEL := -n auto --dist loadfile

test: setup lint
	$(BIN)/pytest -m "not slow" $(PYTEST_PARALLEL)

# The end-to-end runs through the CLI (`-m slow`: faults, signals, drift, approve, review,
# sharding and merge, --connect, --changed, the guide's freshness, Datasette). The 15
# slowest are listed, to keep CI within its 30 minutes.
test-slow: setup
	$(BIN)/pytest -m slow $(PYTEST_PARALLEL) --durations=15

# Everything: what CI (.ci/run) runs.
test-all: test test-slow

bench: setup
	$(BIN)/pip install -q -e ".[bench]"
	$(BIN)/python benchmarks/run.py
