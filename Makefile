# Everything runs inside a local virtual environment (.venv); nothing global is touched.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DIR ?= demo
DEMO_CLIENTS ?= 300
DEMO_MONTHS ?= 18
DEMO_SEED ?= 7
DEMO_HOST ?= 127.0.0.1
DEMO_PORT ?= 8000
# Test processes: one per core (pytest-xdist's auto); TEST_WORKERS=0 runs in this process.
TEST_WORKERS ?= auto

.PHONY: demo test bench lint install install-dev clean jupyter mlflow-ui catalogs

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
	@echo "==> training the dispute, churn and invoice models; registering champions in MLflow"
	$(BIN)/risk --home $(DEMO_DIR)/home train $(DEMO_DIR)/bundle
	@echo "==> loading the bundle into the app database; scoring the last 16 weeks, week by week"
	$(BIN)/risk --home $(DEMO_DIR)/home load $(DEMO_DIR)/bundle
	$(BIN)/risk --home $(DEMO_DIR)/home score --weeks 16 --top 0
	@echo "==> hindsight feedback on past flags (demo only), for the monitoring notebook"
	$(BIN)/risk --home $(DEMO_DIR)/home demo-feedback
	@echo "==> alerts to account leads (no SMTP or webhook set: $(DEMO_DIR)/home/alerts.log)"
	$(BIN)/risk --home $(DEMO_DIR)/home alerts deliver
	@echo "==> the top flagged clients, with their reasons"
	$(BIN)/risk --home $(DEMO_DIR)/home flags | head -40
	@echo "==> API keys for the demo (shown once; also in $(DEMO_DIR)/keys.txt)"
	@pm=$$($(BIN)/risk --home $(DEMO_DIR)/home flags --format json | $(BIN)/python -c "import csv, json, sys; \
	  top = json.load(sys.stdin)[0]['client_id']; \
	  print(next(r['pm'] for r in csv.DictReader(open('$(DEMO_DIR)/bundle/projects.csv')) if r['client_id'] == top))"); \
	  { echo "admin $$($(BIN)/risk --home $(DEMO_DIR)/home keys create --role admin --email admin@firm.example 2>/dev/null)"; \
	    echo "pm    $$($(BIN)/risk --home $(DEMO_DIR)/home keys create --role pm --email $$pm 2>/dev/null)  ($$pm)"; \
	  } | tee $(DEMO_DIR)/keys.txt
	@echo "==> serving the API and the web page at http://$(DEMO_HOST):$(DEMO_PORT)/, beside the worker"
	@echo "    (it scores daily and after new data, delivers alerts, sends digests; Ctrl-C stops both)"
	@$(BIN)/risk --home $(DEMO_DIR)/home worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	  $(BIN)/risk --home $(DEMO_DIR)/home serve --host $(DEMO_HOST) --port $(DEMO_PORT)

# The browser tests drive Debian's Chromium with its chromedriver: installed when missing.
test: install-dev
	@[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || { \
	  sudo=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
	  $$sudo apt-get update -qq && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

# The analysts' notebooks, against the project's environment and the demo's data.
# (make demo ends by serving and keeps the terminal: run this in another one.)
jupyter: install
	$(BIN)/python -m pip install --quiet -e '.[notebooks]'
	$(BIN)/jupyter lab notebooks/

mlflow-ui: install
	$(BIN)/mlflow ui --backend-store-uri sqlite:///$(DEMO_DIR)/home/mlflow.db

bench: install-dev
	$(BIN)/python -m tests.bench

# The translation catalogs: extract every message from the code and the templates into
# risk/locale/billing_risk.pot, then add the new ones to each language's catalog
# (risk/locale/<lang>/LC_MESSAGES/billing_risk.po), keeping what is translated.
catalogs: install-dev
	$(BIN)/pybabel extract -F babel.cfg -k N_ --add-location=file --sort-by-file --no-wrap \
	  --project billing-risk -o risk/locale/billing_risk.pot .
	$(BIN)/pybabel update -i risk/locale/billing_risk.pot -d risk/locale -D billing_risk \
	  --no-wrap --ignore-pot-creation-date --ignore-obsolete --no-fuzzy-matching

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	@if [ -f ../shared/tools/layers.py ]; then $(BIN)/python ../shared/tools/layers.py .; fi

clean:
	rm -rf $(VENV) $(DEMO_DIR) .risk .mypy_cache .ruff_cache .pytest_cache
