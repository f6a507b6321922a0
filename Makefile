# make demo: install what is needed and run the quick start.
# make test: install what is needed (Python packages, the front end, Debian's
#            Chromium) and run every test: pytest, then the browser suite in js/.
# Both work on a fresh machine: Python packages go into $(VENV), npm packages into js/node_modules.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(abspath $(VENV))/bin
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export TF_CPP_MIN_LOG_LEVEL ?= 3
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export DEBIAN_FRONTEND := noninteractive

# What builds the front end (the rest is pinned in pyproject.toml).
BUILD_TOOLS := "jupyterlab==4.6.6" "jupyter_builder==1.3.0"

TOOLS := $(VENV)/.tools
INSTALLED := $(VENV)/.installed
NODE_MODULES := js/node_modules/.installed
FRONTEND := js/labextension/package.json
FRONTEND_SOURCES := $(wildcard js/src/*) js/package.json

.PHONY: demo lab test test-python test-browser install benchmarks clean

$(TOOLS):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet $(BUILD_TOOLS)
	touch $@

$(NODE_MODULES): js/package.json js/package-lock.json
	cd js && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(FRONTEND): $(TOOLS) $(NODE_MODULES) $(FRONTEND_SOURCES)
	cd js && PATH="$(BIN):$$PATH" jupyter-builder build .

$(INSTALLED): pyproject.toml $(TOOLS) $(FRONTEND)
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core

install: $(INSTALLED)

demo: $(INSTALLED)
	$(PY) examples/quickstart.py

lab: $(INSTALLED)
	cd examples && "$(BIN)/jupyter" lab quickstart.ipynb

test: test-python test-browser

test-python: $(INSTALLED)
	$(PY) -m pytest

test-browser: $(INSTALLED) $(NODE_MODULES) $(CHROMIUM)
	cd js && CHROMIUM=$(CHROMIUM) NNCARDS_PYTHON="$(BIN)/python" node --test --test-concurrency=1 tests/

benchmarks: $(INSTALLED)
	$(PY) benchmarks/edit_latency.py
	$(PY) benchmarks/long_session.py
	$(PY) benchmarks/widget.py
	$(PY) benchmarks/import.py
	$(PY) benchmarks/locally_connected.py

clean:
	rm -rf $(VENV) .pytest_cache js/node_modules js/labextension test-artifacts
