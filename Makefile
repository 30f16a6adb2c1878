# Two commands do all the setup on a fresh machine:
#   make demo   installs into .venv and renders examples/demo.json to out/demo.mp4
#   make test   installs into .venv and runs the test suite
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-scaleout test-all test-v3 test-v3-schema lint bench bench-scaleout bench-load fuzz serve worker clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/talkframe render examples/demo.json -o out/demo.mp4

# ruff, the import rules (pyproject.toml), the fast suite, then the scale-out end-to-end tests (real Celery workers, PostgreSQL, Redis, SeaweedFS)
test: $(STAMP)
	bash scripts/test-setup.sh
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/pytest -q -m "not slow"
	$(BIN)/pytest -q -m slow tests/scaleout

test-scaleout: $(STAMP)
	bash scripts/test-setup.sh
	$(BIN)/pytest -q -m slow tests/scaleout

# the v3 API: shape tests (ASGI) and acceptance tests against a live `talkframe serve`
test-v3: $(STAMP)
	$(BIN)/pytest -q tests/v3

# bounded schemathesis run over the v3 OpenAPI on a live API-only server; fails on any 5xx
# (MAX_EXAMPLES=25 per operation by default; report in schemathesis-report/)
test-v3-schema: $(STAMP)
	BIN=$(BIN) bash scripts/schemathesis-v3.sh

test-all: $(STAMP)
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/rtf.py

# 500 pollers while a render runs: every 2 s, then back to back; SQLite and PostgreSQL (benchmarks/load.py)
bench-load: $(STAMP)
	bash scripts/test-setup.sh
	for db in sqlite postgres; do for interval in 2 0; do \
	  $(BIN)/python benchmarks/load.py --db $$db --clients 500 --interval $$interval --seconds 30 || exit 1; done; done

# bounded, seeded schemathesis run over the whole OpenAPI of an API-only server (benchmarks/fuzz.py)
fuzz: $(STAMP)
	$(BIN)/python benchmarks/fuzz.py --examples 25 --seed 1

bench-scaleout: $(STAMP)
	$(BIN)/python benchmarks/scaleout.py

worker: $(STAMP)
	$(BIN)/talkframe worker

serve: $(STAMP)
	$(BIN)/talkframe serve

clean:
	rm -rf $(VENV) out data .pytest_cache .ruff_cache
