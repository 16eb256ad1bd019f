# The one entry point. `make demo` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEPS   := $(VENV)/.deps-stamp
LIBDIR := $(shell $(PYTHON) -c "import sysconfig; print(sysconfig.get_config_var('LIBDIR'))")
export VIRTUAL_ENV := $(abspath $(VENV))

.PHONY: help demo test test-rust test-python test-versions build services lint format bench soak clean

help:
	@echo "make demo   - set up, build, run examples/quickstart.py (SQLite)"
	@echo "make test   - set up, build, cargo test, the whole suite (sqlite, postgres, mysql) on both"
	@echo "              cores, the model/SQL suites with the fast paths off and on every CPython 3.10-3.13"
	@echo "make lint   - ruff, mypy, cargo fmt --check, cargo clippy"
	@echo "make bench  - benchmarks against peer libraries (installs the bench group)"
	@echo "make soak   - restart and cancellation storms at length on private servers; prints the figures"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(DEPS): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade "pip>=25.1"
	$(BIN)/python -m pip install -q --group dev
	# pyright (from the npm registry) for the typing test; the test says so if npm is missing
	-command -v npm >/dev/null && npm install --silent --no-audit --no-fund --prefix $(VENV)/npm pyright@1.1
	touch $@

build: $(DEPS)
	$(BIN)/maturin develop --release --quiet

demo: build
	$(BIN)/python examples/quickstart.py

services:
	bash .ci/services.sh

test-rust: $(DEPS)
	LD_LIBRARY_PATH=$(LIBDIR) cargo test --quiet

# The whole suite on the native core; again on the pure-Python twin for everything but the
# database-layer suite (tests/backends drives the drivers, not the cores: it runs once); the
# model and SQL suites once more with every CPython layout fast path off (the stable-API paths).
FAST_PATH_FREE := tests/models tests/sql tests/test_exported_members.py tests/test_panic_boundary.py

test-python: build services
	$(BIN)/python -m pytest -q
	FERRULE_PURE_PYTHON=1 $(BIN)/python -m pytest -q --ignore=tests/backends
	FERRULE_NO_FAST_PATHS=1 $(BIN)/python -m pytest -q $(FAST_PATH_FREE)

# The model and SQL suites on the other CPython versions present (.ci/versions.sh says which).
test-versions: build
	bash .ci/versions.sh

test: test-rust test-python test-versions

lint: $(DEPS)
	$(BIN)/ruff format --check python tests benchmarks examples
	$(BIN)/ruff check python tests benchmarks examples
	$(BIN)/mypy
	cargo fmt --check
	cargo clippy --quiet -- -D warnings

format: $(DEPS)
	$(BIN)/ruff format python tests benchmarks examples
	$(BIN)/ruff check --fix python tests benchmarks examples
	cargo fmt

bench: build
	$(BIN)/python -m pip install -q --group bench
	for script in benchmarks/models.py benchmarks/sql.py benchmarks/db.py benchmarks/orm.py; do \
		if [ -f $$script ]; then $(BIN)/python $$script || exit 1; fi; \
	done

# The storms of tests/backends/storm.py at length (the suite runs a short tier), on private
# PostgreSQL/MariaDB instances (never the shared ones). SOAK_SCALE multiplies restarts and rounds.
SOAK_SCALE ?= 5

soak: build
	cd tests && ../$(BIN)/python -m backends.soak --scale $(SOAK_SCALE)

clean:
	rm -rf $(VENV) $(VENV)-3.* target
