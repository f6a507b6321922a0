# make demo: install what is needed and run the quick start.
# make test: install what is needed (Python packages, the front end, Debian's
#            Chromium) and run every test: pytest, the browser suite in js/, then a
#            browser smoke test of the wheel built from the sources, in a venv of its own.
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
BUILD_TOOLS := "jupyterlab==4.6.6" "jupyter_builder==1.3.0" "build==1.3.0"
# The wheel smoke test: the package built by `python -m build` (sdist, then the wheel from it),
# installed with what a user installs into a virtual environment of its own.
WHEEL_VENV := .venv-wheel
DIST := dist
USER_TOOLS := "jupyterlab==4.6.6" "ipykernel>=6.29"

TOOLS := $(VENV)/.tools
INSTALLED := $(VENV)/.installed
NODE_MODULES := js/node_modules/.installed
FRONTEND := js/labextension/package.json
FRONTEND_SOURCES := $(wildcard js/src/*) js/package.json

.PHONY: demo lab test test-python test-browser test-wheel install benchmarks clean

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

test: test-python test-browser test-wheel

# Two workers, one a core (CI has two): a test spends most of its time in Python on one core.
test-python: $(INSTALLED)
	$(PY) -m pytest -n 2

test-browser: $(INSTALLED) $(NODE_MODULES) $(CHROMIUM)
	cd js && CHROMIUM=$(CHROMIUM) NNCARDS_PYTHON="$(BIN)/python" node --test --test-concurrency=1 tests/

# From a copy of the working tree's files (not its builds), as from a clean clone.
test-wheel: $(TOOLS) $(NODE_MODULES) $(CHROMIUM)
	rm -rf $(DIST) $(WHEEL_VENV)
	src=$$(mktemp -d) && git ls-files -z -co --exclude-standard | xargs -0 -I{} sh -c '[ -e "{}" ] && cp --parents "{}" '"$$src" && \
	  $(PY) -m build --outdir $(DIST) $$src && rm -rf $$src
	$(PYTHON) -m venv $(WHEEL_VENV)
	$(WHEEL_VENV)/bin/python -m pip install --quiet $(DIST)/*.whl $(USER_TOOLS)
	cd js && CHROMIUM=$(CHROMIUM) NNCARDS_PYTHON="$(abspath $(WHEEL_VENV))/bin/python" node --test tests/wheel.smoke.mjs

benchmarks: $(INSTALLED)
	$(PY) benchmarks/edit_latency.py
	$(PY) benchmarks/long_session.py
	$(PY) benchmarks/widget.py
	$(PY) benchmarks/import.py
	$(PY) benchmarks/locally_connected.py
	$(PY) benchmarks/training.py

clean:
	rm -rf $(VENV) $(WHEEL_VENV) $(DIST) .pytest_cache js/node_modules js/labextension test-artifacts
