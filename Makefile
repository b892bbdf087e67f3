# The two quick-start commands: `make demo` (the main job) and `make test`.
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup demo test lint serve check guide bench

setup:
	@bash scripts/bootstrap.sh

demo: setup
	$(BIN)/guideshot run

serve: setup
	$(BIN)/guideshot serve

check: setup
	$(BIN)/guideshot check

guide: setup
	$(BIN)/guideshot guide

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: setup lint
	$(BIN)/pytest

bench: setup
	$(BIN)/python benchmarks/run.py
