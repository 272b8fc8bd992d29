# eventwire: `make demo` and `make test` set everything up on first use.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.eventwire-installed
SHARED ?= ../shared

.PHONY: demo test lint eval bench clean install

demo: $(STAMP)
	$(BIN)/eventwire demo

test: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

eval: $(STAMP)
	$(BIN)/eventwire eval $(SHARED)/seed
	$(BIN)/eventwire eval $(SHARED)/eval/dev-news
	$(BIN)/eventwire eval $(SHARED)/eval/plover-gsr | sed -n "/^TOTAL/,/^by type/p"

bench: $(STAMP)
	$(BIN)/python benchmarks/extract_speed.py --shared $(SHARED)
	$(BIN)/python benchmarks/store_query.py

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when the project's dependencies or entry points change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

clean:
	rm -rf build dist .pytest_cache .ruff_cache
	find src tests benchmarks -name __pycache__ -type d -prune -exec rm -rf {} +
