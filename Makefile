# maillage: every target sets itself up from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Test processes (pytest-xdist): most tests wait on sockets and child processes, so three
# workers use two cores well (5 minutes instead of 9 here); 0 runs everything in one process.
PYTEST_WORKERS ?= 3

.PHONY: demo demo-matrix test bench lint format run sandbox clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/maillage demo

demo-matrix: $(STAMP)
	$(BIN)/maillage demo --transport matrix

test: $(STAMP)
	$(BIN)/ruff check bot conversations schedules tests bench
	$(BIN)/ruff format --check bot conversations schedules tests bench
	$(BIN)/pytest -q -n $(PYTEST_WORKERS)

bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check bot conversations schedules tests bench

format: $(STAMP)
	$(BIN)/ruff format bot conversations schedules tests bench
	$(BIN)/ruff check --fix bot conversations schedules tests bench

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
