# Two commands for a fresh machine:  make run  (set up and run the hall)  ·  make test  (set up and test)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SYSTEM_STAMP := $(VENV)/.system-packages

.PHONY: run test bench samples clean
run: $(STAMP)
	$(PY) run_hall.py

test: $(STAMP) $(SYSTEM_STAMP)
	$(PY) -m pytest

bench: $(STAMP) $(SYSTEM_STAMP)
	$(PY) -m bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

# Debian packages the tests use (a Korean font for receipt pictures, a browser for the pages).
$(SYSTEM_STAMP): scripts/system-packages.sh $(STAMP)
	sh scripts/system-packages.sh
	touch $@

clean:
	rm -rf $(VENV) *.egg-info
