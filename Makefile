# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
# Both create .venv/ with livetier installed in editable mode when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo serve-demo test test-quick lint format bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/livetier demo

# The HTTP service over demo data: two weeks of daily runs of 2,000 synthetic hosts, an
# operator key and a host key (printed), then `livetier serve` on http://127.0.0.1:8000/.
DEMO_DIR := livetier-demo
TODAY := $(shell TZ=Asia/Shanghai date +%F)
FIRST := $(shell TZ=Asia/Shanghai date -d '-13 days' +%F)
serve-demo: $(STAMP)
	rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	$(BIN)/livetier demo --hosts 2000 --date $(TODAY) --out $(DEMO_DIR)/data > /dev/null
	cd $(DEMO_DIR) && ../$(BIN)/livetier backfill --data data --from $(FIRST) --to $(TODAY)
	cd $(DEMO_DIR) && ../$(BIN)/livetier keys create --role operator --label demo > operator.key
	cd $(DEMO_DIR) && ../$(BIN)/livetier keys create --role host --label demo --host \
	  $$(../$(BIN)/livetier tiers --format jsonl | grep -m1 '"expert"' | cut -d'"' -f4) > host.key
	@echo "operator key: $$(cat $(DEMO_DIR)/operator.key)"
	@echo "host key:     $$(cat $(DEMO_DIR)/host.key)"
	cd $(DEMO_DIR) && ../$(BIN)/livetier serve

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

# Everything: lint, then the whole suite (PostgreSQL, Spark and Chromium tests included).
test: lint
	$(BIN)/python -m pytest

# The edit-and-rerun loop: no lint, no test marked slow or spark (pyproject.toml's markers).
test-quick: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not spark"

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: $(STAMP)
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/plot.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .import_linter_cache
