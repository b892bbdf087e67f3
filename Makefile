# The two quick-start commands: `make demo` (the main job) and `make test`.
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup demo test test-all lint serve check guide bench

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

# Every test but the slow CLI end-to-end runs (`-m slow`: sharding, merge, --connect,
# --changed, run's files), so it stays quick; each flow × device is still checked here.
test: setup lint
	$(BIN)/pytest -m "not slow"

# What CI runs: everything, the slow end-to-end runs included.
test-all: setup lint
	$(BIN)/pytest

bench: setup
	$(BIN)/pip install -q -e ".[bench]"
	$(BIN)/python benchmarks/run.py
