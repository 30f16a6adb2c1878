# Two commands do all the setup on a fresh machine:
#   make demo   installs into .venv and renders examples/demo.json to out/demo.mp4
#   make test   installs into .venv and runs the test suite
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-scaleout test-all lint bench bench-throughput bench-scaleout serve worker clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/talkframe render examples/demo.json -o out/demo.mp4

# ruff, the fast suite, then the scale-out end-to-end tests (real Celery workers, PostgreSQL, Redis, SeaweedFS)
test: $(STAMP)
	bash scripts/test-setup.sh
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/pytest -q -m "not slow"
	$(BIN)/pytest -q -m slow tests/scaleout

test-scaleout: $(STAMP)
	bash scripts/test-setup.sh
	$(BIN)/pytest -q -m slow tests/scaleout

test-all: $(STAMP)
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/rtf.py

# whole-job RTF through a live `talkframe serve` (first video after start, then warm; 720p and 1080p) against the
# encode floor of the same frames, per-stage breakdown, peak RSS, videos/hour with 1 and 2 workers (~5 min)
bench-throughput: $(STAMP)
	$(BIN)/python benchmarks/throughput.py --json out/throughput.json

bench-scaleout: $(STAMP)
	$(BIN)/python benchmarks/scaleout.py

worker: $(STAMP)
	$(BIN)/talkframe worker

serve: $(STAMP)
	$(BIN)/talkframe serve

clean:
	rm -rf $(VENV) out data .pytest_cache .ruff_cache
