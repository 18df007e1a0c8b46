# Gerai POS: `make run` serves the app, `make test` runs every test, `make bench` measures speed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
THREADS ?= 8
# The demo outlet's zone for ceiling prices (HET): Kalimantan Timur is SPHP zone 2.
HET_ZONE ?= 2
# Cash rounded to Rp100, the smallest coin a drawer pays change in (the installer writes the same).
CASH_ROUNDING ?= 100
# pytest-xdist workers for `make test` (auto: one per CPU); TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto
# The tests' files (tmp_path, their servers' databases) in memory where the machine has 4 GB free
# there: a commit's fsync costs a third of a millisecond on a disk and nothing in /dev/shm, about
# a tenth of the suite's time. Nothing a test proves rests on the disk (the crash suite kills
# processes, not the machine; make bench measures the disk). TEST_TMPDIR= keeps $$TMPDIR.
TEST_TMPDIR ?= $(shell d=/dev/shm; [ -d $$d ] && [ -w $$d ] && \
  [ "$$(df -Pk $$d | awk 'NR==2 {print $$4}')" -gt 4000000 ] && echo $$d)
TEST_ENV := $(if $(TEST_TMPDIR),TMPDIR=$(TEST_TMPDIR))

.PHONY: run demo-settings test lint bench bench-hub clean-venv

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Gerai POS needs Python 3.11 or newer")'
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || { \
	  echo "python3-venv is missing; installing it with apt-get"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq python3-venv; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq python3-venv; fi; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.run-deps: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.test-deps: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[test]"
	@touch $@ $(VENV)/.run-deps

# The demo outlet's settings go into the instance's pos.cfg when it has none, so a `pos` command
# run by hand on it (pos doctor, pos het list) reads the zone and the rounding the server uses.
RUN_INSTANCE = $${POS_INSTANCE_PATH:-instance}
demo-settings:
	@cfg="$(RUN_INSTANCE)/pos.cfg"; [ -f "$$cfg" ] || { mkdir -p "$(RUN_INSTANCE)" && \
	  printf '# Written by make run for the demo outlet; POS_* variables override it.\nHET_ZONE = "%s"\nCASH_ROUNDING = %s\n' \
	    "$(HET_ZONE)" "$(CASH_ROUNDING)" > "$$cfg" && echo "Setelan demo ditulis ke $$cfg"; }

run: $(VENV)/.run-deps demo-settings
	$(BIN)/pos init
	POS_HET_ZONE=$(HET_ZONE) $(BIN)/pos demo --if-empty
	@echo "Gerai POS: http://$(HOST):$(PORT)"
	POS_HOST=$(HOST) POS_HET_ZONE=$(HET_ZONE) POS_CASH_ROUNDING=$(CASH_ROUNDING) $(BIN)/waitress-serve --host=$(HOST) --port=$(PORT) --threads=$(THREADS) --call pos:create_app

lint: $(VENV)/.test-deps
	$(BIN)/ruff check pos tests bench

# Tests that judge timing (marked serial) run alone after the rest; exit code 5 is "none selected".
test: lint
	$(TEST_ENV) $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal -m "not serial" $(PYTEST_ARGS)
	$(TEST_ENV) $(BIN)/python -m pytest -m serial $(PYTEST_ARGS) || test $$? -eq 5

bench: $(VENV)/.test-deps
	$(BIN)/python -m bench $(BENCH_ARGS)

# 1,000 outlets x 30 days pushed into a ledger hub on the local PostgreSQL (a throwaway database);
# BENCH_HUB_ARGS="--outlets 50 --days 5" for a quick run.
bench-hub: $(VENV)/.test-deps
	$(BIN)/python -m bench.hub_bench $(BENCH_HUB_ARGS)

clean-venv:
	rm -rf $(VENV)
