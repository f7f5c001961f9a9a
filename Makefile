# jixiao — `make run` sets everything up and runs the main job on the bundled samples;
# `make test` runs the test suite. Everything installs into .venv.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= data/jixiao.duckdb

.PHONY: setup run test lint bench fixtures clean browser

$(BIN)/jixiao: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

setup: $(BIN)/jixiao

run: setup
	$(BIN)/jixiao ingest data/samples --db $(DB)
	$(BIN)/jixiao query "select format, status, count(*) as files from documents group by all order by all" --db $(DB)
	$(BIN)/jixiao findings --db $(DB)

test: setup browser
	$(BIN)/python -m pytest

# The review page is tested in headless Chromium; CI machines start bare (root, apt).
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
		|| echo "chromium could not be installed: the browser test will be skipped"

lint: setup
	$(BIN)/ruff check pipeline extract validate tests scripts
	$(BIN)/ruff format --check pipeline extract validate tests scripts

bench: setup
	$(BIN)/python bench/run.py

fixtures: setup
	test -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc || apt-get install -y fonts-wqy-zenhei
	$(BIN)/python scripts/make_samples.py

clean:
	rm -rf $(VENV) $(DB) .pytest_cache
