# grantstats: `make run` opens the dashboard on the built-in sample; `make test` runs every test; `make bench` measures
# everything against its targets (`make bench BENCH_ARGS="--quick load"`: a short run of some parts).
# Both set everything up first: the virtual environment (re-installed only when requirements.txt changes).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-requirements.txt
DB ?= data/grants.duckdb
SAMPLE_DIR := data/sample
PORT ?= 8501

.PHONY: setup run test bench sample clean

setup: $(STAMP)

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	@cp requirements.txt $(STAMP)

# (the load creates the database with its schema, saves the files batch by batch, then publishes the snapshot
# the dashboard reads; a build stopped half-way: `make clean` and `make run` again)
$(DB): | $(STAMP)
	@echo "Building $(DB) from the built-in synthetic sample (first run only)…"
	rm -rf $(SAMPLE_DIR)
	$(PY) -m grantstats sample --out $(SAMPLE_DIR)
	$(PY) -m grantstats ingest $(SAMPLE_DIR) --db $(DB) --progress
	$(PY) -m grantstats sample-contracts --db $(DB) --out $(SAMPLE_DIR)-contracts.xlsx
	$(PY) -m grantstats ingest --contracts $(SAMPLE_DIR)-contracts.xlsx --db $(DB)

sample: $(DB)

run: $(STAMP) $(DB)
	GRANTSTATS_DB=$(DB) $(PY) -m streamlit run app.py --server.port $(PORT)

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(DB) $(DB).wal $(DB).lock $(DB).building $(basename $(DB)).cache.duckdb $(basename $(DB)).cache.duckdb.wal \
		$(dir $(DB))snapshots $(SAMPLE_DIR) $(SAMPLE_DIR)-contracts.xlsx build .pytest_cache
