# Two commands do all the setup on a fresh machine:
#   make demo   installs into .venv and renders examples/demo.json to out/demo.mp4
#   make test   installs into .venv and runs the test suite
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-all lint bench serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/talkframe render examples/demo.json -o out/demo.mp4

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/pytest -q -m "not slow"

test-all: $(STAMP)
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/rtf.py

serve: $(STAMP)
	$(BIN)/talkframe serve

clean:
	rm -rf $(VENV) out data .pytest_cache .ruff_cache
