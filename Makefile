# Two commands for a fresh machine: `make serve` and `make test`. Both build .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
HOST ?= 127.0.0.1
CLAIMCHECK_DATA ?= ./data
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install serve test lint typecheck bench-retrieval crash load bench clean

install: $(STAMP)

# torch first and exactly: 2.13.0 is a local CPU wheel; any other torch request pulls CUDA.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

serve: $(STAMP)
	CLAIMCHECK_DATA=$(CLAIMCHECK_DATA) $(BIN)/claimcheck serve --host $(HOST) --port $(PORT)

# The whole suite: tests with the real models, then lint, import contracts, types, the Dockerfile linter.
test: $(STAMP)
	$(BIN)/pytest
	$(MAKE) --no-print-directory lint typecheck

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/hadolint Dockerfile

typecheck: $(STAMP)
	$(BIN)/mypy api claimcheck store verification corpus attribution embeddings retrieval evaluation training

# Outside the timed suite (README, "Crash and load"): each starts its own server on a fresh temp dir.
crash: $(STAMP)
	$(BIN)/python -m bench.crash

load: $(STAMP)
	$(BIN)/python -m bench.load

# A few minutes: every performance benchmark shortened, one table beside the targets (bench/quick.py).
bench: $(VENV)/.bench-installed
	$(BIN)/python -m bench.quick

$(VENV)/.bench-installed: $(STAMP)
	$(BIN)/pip install --quiet -c constraints.txt -e ".[bench]"
	touch $@

clean:
	rm -rf $(VENV) data
