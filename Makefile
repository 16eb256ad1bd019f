# The one entry point. `make demo` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
TOOLS  := $(VENV)/.build-stamp
DEPS   := $(VENV)/.deps-stamp
PYRIGHT := $(VENV)/.pyright-stamp
LIBDIR := $(shell $(PYTHON) -c "import sysconfig; print(sysconfig.get_config_var('LIBDIR'))")
PY_VERSION := $(shell $(PYTHON) -c "import sys; print('%d.%d' % sys.version_info[:2])")
export VIRTUAL_ENV := $(abspath $(VENV))
# A part of `make test`: runs the recipe, then says how it ended and how long it took.
PART    = bash .ci/part.sh $@
# Bytecode caches: every pytest run would otherwise compile (and assert-rewrite) the suite again.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help demo test test-rust test-python test-versions build extension services lint format \
	bench soak clean test-native test-backends test-pure test-no-fast-paths

help:
	@echo "make demo   - set up, build, run examples/quickstart.py (SQLite)"
	@echo "make test   - set up, build, cargo test, the whole suite (sqlite, postgres, mysql) on both"
	@echo "              cores, the model/SQL suites with the fast paths off and on every CPython 3.10-3.13"
	@echo "              (side by side, TEST_JOBS=3 parts at a time; each prints its output when done)"
	@echo "make lint   - ruff, mypy, cargo fmt --check, cargo clippy"
	@echo "make bench  - benchmarks against peer libraries (installs the bench group)"
	@echo "make soak   - restart and cancellation storms at length on private servers; prints the figures"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# maturin first (the `build` group): the release build runs while the rest of `dev` installs.
$(TOOLS): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade "pip>=25.1"
	$(BIN)/python -m pip install -q --group build
	touch $@

$(DEPS): pyproject.toml | $(TOOLS)
	$(BIN)/python -m pip install -q --group dev
	touch $@

# pyright (from the npm registry) for the typing test; the test says so if npm is missing
$(PYRIGHT): | $(BIN)/python
	-command -v npm >/dev/null && npm install --silent --no-audit --no-fund --prefix $(VENV)/npm pyright@1.1
	touch $@

# The release build into python/ferrule/, without installing (no pip: the dev group may be
# installing); `build` then installs it, the cargo build being done by then.
extension: $(TOOLS)
	@$(PART) $(BIN)/maturin develop --release --quiet --skip-install

build: extension $(DEPS)
	$(BIN)/maturin develop --release --quiet

demo: build
	$(BIN)/python examples/quickstart.py

# Each pytest run below has a database of its own on the shared servers (FERRULE_TEST_DBNAME),
# so that they can run at the same time: tests/sql's tables have fixed names.
VERSIONS := $(filter-out $(PY_VERSION),3.10 3.11 3.12 3.13)
DBNAMES  := ferrule_native ferrule_backends ferrule_pure ferrule_no_fast_paths \
	$(foreach v,$(VERSIONS),ferrule_$(subst .,_,$(v)))

services:
	bash .ci/services.sh $(DBNAMES)

# The crate's unit tests (it has no doc or integration tests; --lib saves building it twice).
# Only the venv's interpreter is needed (pyo3 reads its configuration), not the packages: this
# debug build runs beside the pip install and the release build, niced to go after the latter.
test-rust: | $(BIN)/python
	@$(PART) env LD_LIBRARY_PATH=$(LIBDIR) nice -n 10 cargo test --quiet --lib

# The whole suite on the native core (tests/backends apart, so that the two halves can run side
# by side); again on the pure-Python twin for everything but the database-layer suite
# (tests/backends drives the drivers, not the cores: it runs once); the model and SQL suites
# once more with every CPython layout fast path off (the stable-API paths).
# What each pass runs is what can differ in it: tests/models' core-parametrized tables run on
# the core the pass selects (the twin in test-pure, the native core everywhere else: the twin
# reads neither FERRULE_NO_FAST_PATHS nor CPython's layouts; tests/models/conftest.py), and
# test_core_properties, which calls both cores directly, skips test-pure (the same run as in
# test-native). The cancellation matrices count the states of the work, not turns of the loop
# (tests/backends/stepping.py), so their length does not grow with the machine's load.
FAST_PATH_FREE := tests/models tests/sql tests/test_exported_members.py tests/test_panic_boundary.py
PYTEST := $(BIN)/python -m pytest -q
# The runs that only compute are niced a little: tests/backends, which mostly waits on servers and
# times cancellations, restarts and loop lag, then gets the CPU as soon as it wakes.
CPU_BOUND := nice -n 5

test-native: build services $(PYRIGHT)
	@$(PART) env FERRULE_TEST_DBNAME=ferrule_native $(CPU_BOUND) $(PYTEST) --ignore=tests/backends

test-backends: build services
	@$(PART) env FERRULE_TEST_DBNAME=ferrule_backends $(PYTEST) -p no:cacheprovider tests/backends

# The twin's ORM runs on SQLite and MariaDB, whose values it converts itself (SQLite's text to
# dates, decimals, UUIDs and JSON; MariaDB's UUID and JSON text); PostgreSQL's driver hands over
# every value typed, so there the twin only assembles rows, as on the other two.
test-pure: build services $(PYRIGHT)
	@$(PART) env FERRULE_TEST_DBNAME=ferrule_pure FERRULE_PURE_PYTHON=1 FERRULE_TEST_DB=sqlite,mysql \
		$(CPU_BOUND) $(PYTEST) -p no:cacheprovider --ignore=tests/backends

test-no-fast-paths: build services
	@$(PART) env FERRULE_TEST_DBNAME=ferrule_no_fast_paths FERRULE_NO_FAST_PATHS=1 \
		$(CPU_BOUND) $(PYTEST) -p no:cacheprovider $(FAST_PATH_FREE)

test-python: test-backends test-pure test-native test-no-fast-paths

# The model and SQL suites on each other CPython version (.ci/versions.sh says if it is missing).
# Its venv is a part of its own, so that its downloads overlap the release build.
$(addprefix venv-,$(VERSIONS)): venv-%: | $(TOOLS)
	@$(PART) bash .ci/versions.sh --venv-only $*

$(addprefix test-version-,$(VERSIONS)): test-version-%: build services venv-%
	@$(PART) env FERRULE_TEST_DBNAME=ferrule_$(subst .,_,$*) $(CPU_BOUND) bash .ci/versions.sh $*

test-versions: $(addprefix test-version-,$(VERSIONS))
.PHONY: $(addprefix venv-,$(VERSIONS)) $(addprefix test-version-,$(VERSIONS))

# The parts of `make test` are independent: TEST_JOBS of them run at a time (2 cores; the
# downloads and the database-layer suite mostly wait). Each prints its output when it is done; a
# failed part fails the run once the others have finished (-k). The order puts the longest first.
TEST_JOBS ?= 3
TEST_PARTS := test-rust build services $(PYRIGHT) $(addprefix venv-,$(VERSIONS)) test-backends \
	$(addprefix test-version-,$(VERSIONS)) test-pure test-native test-no-fast-paths

test:
	@$(PART) $(MAKE) --no-print-directory -j$(TEST_JOBS) --output-sync=target -k $(TEST_PARTS)

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
	for script in benchmarks/models.py benchmarks/sql.py benchmarks/db.py benchmarks/orm.py benchmarks/orm_paired.py benchmarks/copy_ceiling.py \
		benchmarks/json_codec.py benchmarks/json_patch.py benchmarks/json_schema.py \
		benchmarks/crypto.py; do \
		if [ -f $$script ]; then $(BIN)/python $$script || exit 1; fi; \
	done

# The storms of tests/backends/storm.py at length (the suite runs a short tier), on private
# PostgreSQL/MariaDB instances (never the shared ones). SOAK_SCALE multiplies restarts and rounds.
SOAK_SCALE ?= 5

soak: build
	cd tests && ../$(BIN)/python -m backends.soak --scale $(SOAK_SCALE)

clean:
	rm -rf $(VENV) $(VENV)-3.* target
