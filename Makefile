# The README's commands. `make demo` and `make test` each install what they need first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SEED := drafts/A_RES_79_53.txt

.PHONY: install demo test bench clean

$(BIN)/penholder: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/penholder

demo: install
	$(BIN)/penholder import $(SEED)

test: install
	$(BIN)/pytest -q

bench: install
	$(BIN)/python benchmarks/import_bench.py

clean:
	rm -rf $(VENV) build *.egg-info server/*.egg-info
