# Two commands for a newcomer: `make run` and `make test`. Both install what is missing, then run.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
XVFB := xvfb-run -a -s "-screen 0 1600x1000x24"
SYNC_SERVER_VENV := .venv-sync-server
SYNC_SERVER_STAMP := $(SYNC_SERVER_VENV)/.installed

.PHONY: run test lint typecheck pytest system-deps system-deps-test screenshot clean bundle bundle-check

run: system-deps $(STAMP)
	$(PY) -m podplayer $(ARGS)

test: system-deps-test $(STAMP)
	$(MAKE) --no-print-directory lint typecheck pytest

system-deps:
	@sh packaging/system-deps.sh run

system-deps-test:
	@sh packaging/system-deps.sh test

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,dev]'
	@touch $(STAMP)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

pytest: $(STAMP) $(SYNC_SERVER_STAMP)
	$(XVFB) $(PY) -m pytest $(PYTEST_ARGS)

# gpodder-fastapi-router, a real sync server for tests/sync and bench/sync.py, in its own venv:
# it declares Python >= 3.12 but runs on 3.11, so pip is told to ignore that declaration.
$(SYNC_SERVER_STAMP): Makefile
	@test -x $(SYNC_SERVER_VENV)/bin/python || python3 -m venv $(SYNC_SERVER_VENV)
	$(SYNC_SERVER_VENV)/bin/python -m pip install -q --ignore-requires-python \
		'gpodder-fastapi-router==0.1.3' 'uvicorn>=0.30' 'aiosqlite>=0.20'
	@touch $(SYNC_SERVER_STAMP)

screenshot: system-deps-test $(STAMP)
	$(XVFB) $(PY) packaging/screenshot.py
# A one-folder app in dist/podplayer (PyInstaller; libvlc comes from the system, see the spec).
BUNDLE_STAMP := $(VENV)/.bundle-installed
$(BUNDLE_STAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[bundle]'
	@touch $(BUNDLE_STAMP)

bundle: system-deps $(BUNDLE_STAMP)
	@start=$$(date +%s); \
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller packaging/podplayer.spec && \
	echo "bundle built in $$(( $$(date +%s) - start )) s: dist/podplayer/podplayer"

bundle-check: system-deps-test bundle
	sh packaging/bundle-check.sh dist/podplayer

clean:
	rm -rf $(VENV) $(SYNC_SERVER_VENV) .mypy_cache .pytest_cache .ruff_cache build dist
