# Set-up and checks for digital-skills-xblocks. `make preview` and `make test`
# work on a fresh machine: they create the virtual environments they need.

PYTHON ?= python3
VENV ?= .venv
TUTOR_VENV ?= .venv-tutor
PY312_VENV ?= .venv-py312
# Production (Open edX Verawood) runs Python 3.12, so the suite also runs under it: python3.12
# on PATH, or else the newest 3.12 that pyenv installed. SKIP_PY312=1 skips that run, and says so.
ifndef PYTHON312
PYTHON312 := $(shell for candidate in python3.12 $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.12*/bin/python3.12 2>/dev/null | sort -V | tail -n 1); do "$$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null && { echo "$$candidate"; break; }; done)
endif
PORT ?= 8000

.PHONY: help venv tutor-venv py312-venv chromium preview test test-xblocks test-py312 test-tutor translations bench clean

help:
	@echo "make preview   serve course_exports/ at http://127.0.0.1:$(PORT)"
	@echo "make test      run every test suite (installs what it needs)"
	@echo "make bench     run the benchmarks and rewrite docs/benchmarks.md"
	@echo "make translations  rebuild the shipped catalogs from translations/parts"

$(VENV)/.installed: setup.py requirements/test.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[preview]' -r requirements/test.txt
	touch $@

venv: $(VENV)/.installed

$(TUTOR_VENV)/.installed: requirements/tutor.txt tutor_plugin/pyproject.toml
	$(PYTHON) -m venv $(TUTOR_VENV)
	$(TUTOR_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(TUTOR_VENV)/bin/python -m pip install --quiet -r requirements/tutor.txt -e tutor_plugin
	touch $@

tutor-venv: $(TUTOR_VENV)/.installed

$(PY312_VENV)/.installed: setup.py requirements/test.txt
	@test -n "$(PYTHON312)" || { echo "Python 3.12 was not found (neither python3.12 nor pyenv's 3.12). Install it, name it with 'make test PYTHON312=/path/to/python3.12', or run 'make test SKIP_PY312=1' to leave out the Python 3.12 run." >&2; exit 1; }
	@"$(PYTHON312)" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null || { echo "PYTHON312=$(PYTHON312) is not a working Python 3.12. Name one with 'make test PYTHON312=/path/to/python3.12', or run 'make test SKIP_PY312=1'." >&2; exit 1; }
	$(PYTHON312) -m venv $(PY312_VENV)
	$(PY312_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(PY312_VENV)/bin/python -m pip install --quiet -e '.[preview]' -r requirements/test.txt
	touch $@

py312-venv: $(PY312_VENV)/.installed

# Browser tests drive Debian's Chromium; install it when it is missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

preview: venv
	$(VENV)/bin/digital-skills preview --port $(PORT)

translations: venv
	$(VENV)/bin/python scripts/compile_translations.py

test: test-xblocks test-py312 test-tutor

# The browser suite runs on its own so that pytest's "no tests collected" exit
# code fails the build if the browser tests ever disappear.
test-xblocks: venv chromium
	$(VENV)/bin/python scripts/compile_translations.py --check
	$(VENV)/bin/python -m pytest tests --ignore=tests/browser
	$(VENV)/bin/python -m pytest tests/browser

# The suites without a browser, under Python 3.12 with the newest XBlock and Django in range.
ifeq ($(SKIP_PY312),1)
test-py312:
	@echo "SKIPPED: the Python 3.12 run (SKIP_PY312=1)."
else
test-py312: py312-venv
	$(PY312_VENV)/bin/python -m pytest tests --ignore=tests/browser
endif

test-tutor: tutor-venv
	$(TUTOR_VENV)/bin/python -m pytest tutor_plugin/tests

bench: venv chromium
	$(VENV)/bin/python -m benchmarks.run

clean:
	rm -rf $(VENV) $(TUTOR_VENV) $(PY312_VENV) .venv-bench build dist *.egg-info var .pytest_cache
