# Two commands for a fresh machine:  make run  (set up and run the hall)  ·  make test  (set up and test)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SYSTEM_STAMP := $(VENV)/.system-packages
WEB_STAMP := web/node_modules/.installed
FONT_STAMP := $(VENV)/.korean-font

.PHONY: run test bench rehearsal samples clean
run: $(STAMP) $(WEB_STAMP) $(FONT_STAMP)
	$(PY) run_hall.py

test: $(STAMP) $(SYSTEM_STAMP) $(WEB_STAMP)
	$(PY) -m pytest

bench: $(STAMP) $(SYSTEM_STAMP) $(WEB_STAMP)
	$(PY) -m bench

# A whole expo day against a real hub on 127.0.0.1 with faults on a schedule; report in var/rehearsal/.
rehearsal: $(STAMP) $(WEB_STAMP)
	$(PY) -m rehearsal

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

# The screens' libraries (socket.io client, axe-core, jsQR, tweetnacl, es-hangul), pinned by web/package-lock.json.
$(WEB_STAMP): web/package.json web/package-lock.json
	command -v npm >/dev/null || sh scripts/system-packages.sh nodejs npm
	cd web && npm ci --no-audit --no-fund
	touch $@

# The virtual printers draw each job with a Korean font.
$(FONT_STAMP): scripts/system-packages.sh $(STAMP)
	sh scripts/system-packages.sh fonts-nanum
	touch $@

# Debian packages the tests and the benchmarks use (a Korean font for receipt pictures, a browser for the pages,
# redis-server and nginx for a hall of several processes).
$(SYSTEM_STAMP): scripts/system-packages.sh $(STAMP)
	sh scripts/system-packages.sh
	touch $@

clean:
	rm -rf $(VENV) *.egg-info web/node_modules
