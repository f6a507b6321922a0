# make demo: install what is needed and run the quick start.
# make test: install what is needed and run every test.
# Both work on a fresh machine: everything goes into the virtual environment $(VENV).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PIP_DISABLE_PIP_VERSION_CHECK := 1

INSTALLED := $(VENV)/.installed

.PHONY: demo test install benchmarks clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(INSTALLED)

demo: $(INSTALLED)
	$(PY) examples/quickstart.py

test: $(INSTALLED)
	$(PY) -m pytest

benchmarks: $(INSTALLED)
	$(PY) benchmarks/edit_latency.py
	$(PY) benchmarks/locally_connected.py

clean:
	rm -rf $(VENV) .pytest_cache
