# The README's commands. `make demo` and `make test` each install what they need first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo test bench clean

# Debian packages for the exports (LibreOffice for PDF, fonts, poppler): `render-apt`.
include server/penholder/render/apt-packages.txt
# Debian's Chromium for the browser tests: `browser-apt`.
include client/apt-packages.txt

$(BIN)/penholder: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The stock Yjs client the integration tests run (yjs, y-websocket from npm), and axe-core,
# which tests/test_accessibility_browser.py injects into the pages.
tests/node/node_modules/.package-lock.json: tests/node/package-lock.json
	cd tests/node && npm ci --no-audit --no-fund --silent

# A real OpenID provider (oidc-provider from npm) for the single sign-on test.
tests/oidc/node_modules/.package-lock.json: tests/oidc/package-lock.json
	cd tests/oidc && npm ci --no-audit --no-fund --silent

# The browser client (client/: yjs, y-websocket, y-indexeddb, quill, y-quill, quill-cursors,
# esbuild), bundled into
# server/penholder/web/static (build output, not committed); rebuilt when its sources change.
CLIENT_BUILD := server/penholder/web/static/app.js
client/node_modules/.package-lock.json: client/package-lock.json
	cd client && npm ci --no-audit --no-fund --silent
$(CLIENT_BUILD): client/node_modules/.package-lock.json client/build.mjs client/index.html client/favicon.svg $(wildcard client/src/*.js) \
		client/console.html $(wildcard client/src/console/*.js) \
		client/signin.html client/admin.html client/account.css client/upload.html client/upload.css $(wildcard client/src/account/*.js)
	cd client && npm run build --silent
	touch $@

install: $(BIN)/penholder tests/node/node_modules/.package-lock.json tests/oidc/node_modules/.package-lock.json $(CLIENT_BUILD)

# The server on embedded SQLite (penholder.db here), with the zero draft of the
# eighty-first session seeded from A/RES/79/53 and demo users printed at start.
demo: install render-apt
	$(BIN)/penholder serve --demo --host $(HOST) --port $(PORT)

# The suite spread over a pytest-xdist worker per core, a module to a worker so that its
# tests run in their written order (TEST_WORKERS=0: all in one process). Modules are
# handed out in the order tests/conftest.py collects them (the browser's, the longest,
# first), not by their count of tests.
TEST_WORKERS ?= auto
test: install render-apt browser-apt
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

bench: install render-apt browser-apt
	$(BIN)/python benchmarks/import_bench.py
	$(BIN)/python benchmarks/proposals_bench.py
	$(BIN)/python benchmarks/compare_bench.py
	$(BIN)/python benchmarks/export_bench.py
	$(BIN)/python benchmarks/authorship_bench.py
	$(BIN)/python benchmarks/review_bench.py
	$(BIN)/python benchmarks/library_bench.py
	$(BIN)/python benchmarks/sync_bench.py
	$(BIN)/python benchmarks/amend_bench.py
	$(BIN)/python benchmarks/editor_bench.py
	$(BIN)/python benchmarks/cli_start.py
	$(BIN)/python benchmarks/import_corpus.py

clean:
	rm -rf $(VENV) build *.egg-info server/*.egg-info
