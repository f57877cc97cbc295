# Two commands a new user needs: `make demo` and `make test`. Both install first.
# `make check` is the fast loop while working: lint and the tests that need no server.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test check lint bench score clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

demo: install            ## crawl the bundled offline site, load DuckDB, write a report
	$(BIN)/bulletins demo

test: install lint       ## lint, then the whole test suite (installs Debian's chromium for the report test)
	sh scripts/install-system-deps.sh
	$(BIN)/python -m pytest

check: install lint      ## lint and the pure tests (no HTTP site, DuckDB, GX or Prefect): under a minute
	$(BIN)/python -m pytest tests/core tests/crawl -m "not integration" -q -p no:cacheprovider

lint: install            ## ruff: the rules in pyproject.toml, and the formatting check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

score: install           ## score the extractor on the dev gold set
	$(PYTHON) ../shared/eval/score.py --gold ../shared/gold/dev --run "$(BIN)/bulletins extract --jsonl"

bench: install           ## print throughput and memory figures (see BENCHMARKS.md; a few minutes)
	$(BIN)/python benchmarks/extract_bench.py --docs 5000
	$(BIN)/python benchmarks/reprocess_bench.py --docs 1000
	$(BIN)/python benchmarks/load_bench.py --rows 1000000
	$(BIN)/python benchmarks/crawl_bench.py --pages 2000

clean:
	rm -rf $(VENV) data/bulletins.duckdb data/archive data/reports
