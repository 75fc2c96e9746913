# Set-up and checks for digital-skills-xblocks. `make preview` and `make test`
# work on a fresh machine: they create the virtual environments they need.

PYTHON ?= python3
VENV ?= .venv
TUTOR_VENV ?= .venv-tutor
PORT ?= 8000

.PHONY: help venv tutor-venv chromium preview test test-xblocks test-tutor translations bench clean

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

# Browser tests drive Debian's Chromium; install it when it is missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

preview: venv
	$(VENV)/bin/digital-skills preview --port $(PORT)

translations: venv
	$(VENV)/bin/python scripts/compile_translations.py

test: test-xblocks test-tutor

# The browser suite runs on its own so that pytest's "no tests collected" exit
# code fails the build if the browser tests ever disappear.
test-xblocks: venv chromium
	$(VENV)/bin/python scripts/compile_translations.py --check
	$(VENV)/bin/python -m pytest tests --ignore=tests/browser
	$(VENV)/bin/python -m pytest tests/browser

test-tutor: tutor-venv
	$(TUTOR_VENV)/bin/python -m pytest tutor_plugin/tests

bench: venv chromium
	$(VENV)/bin/python -m benchmarks.run

clean:
	rm -rf $(VENV) $(TUTOR_VENV) build dist *.egg-info var .pytest_cache
