# Everything runs inside a local virtual environment (.venv); nothing global is touched.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DIR ?= demo
DEMO_CLIENTS ?= 300
DEMO_MONTHS ?= 18
DEMO_SEED ?= 7

.PHONY: demo test bench lint install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The stamp files re-run the install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: install
	@echo "==> simulating a firm: $(DEMO_CLIENTS) clients, $(DEMO_MONTHS) months -> $(DEMO_DIR)/bundle"
	$(BIN)/risk simulate $(DEMO_DIR)/bundle --clients $(DEMO_CLIENTS) --months $(DEMO_MONTHS) --seed $(DEMO_SEED)
	@echo "==> validating the bundle against the data contract"
	$(BIN)/risk validate $(DEMO_DIR)/bundle
	@echo "==> point-in-time features and labels, weekly over the last year"
	$(BIN)/risk --home $(DEMO_DIR)/home features $(DEMO_DIR)/bundle --labels --out $(DEMO_DIR)/features.parquet --from 2025-06-30 --every 7
	@echo "==> training the dispute and churn models; registering champions in MLflow"
	$(BIN)/risk --home $(DEMO_DIR)/home train $(DEMO_DIR)/bundle
	@echo "==> loading the bundle into the app database; scoring the last 12 weeks, week by week"
	$(BIN)/risk --home $(DEMO_DIR)/home load $(DEMO_DIR)/bundle
	$(BIN)/risk --home $(DEMO_DIR)/home score --weeks 12 --top 0
	@echo "==> alerts to account leads (no SMTP or webhook set: $(DEMO_DIR)/home/alerts.log)"
	$(BIN)/risk --home $(DEMO_DIR)/home alerts deliver
	@echo "==> the top flagged clients, with their reasons"
	$(BIN)/risk --home $(DEMO_DIR)/home flags | head -40

test: install-dev
	$(BIN)/python -m pytest

bench: install-dev
	$(BIN)/python -m tests.bench

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	@if [ -f ../shared/tools/layers.py ]; then $(BIN)/python ../shared/tools/layers.py .; fi

clean:
	rm -rf $(VENV) $(DEMO_DIR) .risk .mypy_cache .ruff_cache .pytest_cache
