# The two quick-start commands: `make demo` (the main job) and `make test`.
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup demo test test-quick lint serve check guide bench

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

# The README's test command, and exactly what CI runs: everything.
test: setup lint
	$(BIN)/pytest

# For quick local iteration: every test but the slow CLI end-to-end runs (`-m slow`:
# sharding, merge, --connect, --changed, signals, run's files); each flow × device is
# still checked here.
test-quick: setup lint
	$(BIN)/pytest -m "not slow"

bench: setup
	$(BIN)/pip install -q -e ".[bench]"
	$(BIN)/python benchmarks/run.py
