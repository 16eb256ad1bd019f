#!/usr/bin/env bash
# .ci/versions.sh [--venv-only] 3.X: run the model and SQL suites on CPython 3.X (ferrule claims
# 3.10-3.13) if this machine has it, against the same abi3 extension the main build put in
# python/ferrule/. The main venv's interpreter (and the database suites) are covered by
# `make test-python`; `make test` runs this once for each other version, beside the main runs.
# tests/models' core-parametrized tables run on the native core only there (the core the run
# selects): the pure twin does not read CPython's layouts (tests/models/conftest.py).
# The interpreter gets a small venv (.venv-3.X) with the `test` dependency group only, installed
# by the main venv's pip (`pip --python`): a venv without a pip of its own is quicker to make.
# --venv-only makes (or updates) that venv and stops: `make test` does it during the build.
set -euo pipefail
cd "$(dirname "$0")/.."

venv_only=false
if [ "${1:-}" = --venv-only ]; then
    venv_only=true
    shift
fi
version=$1
suites=(tests/models tests/sql tests/crypto tests/test_exported_members.py tests/test_panic_boundary.py
        tests/test_examples.py)

find_python() { # 3.X -> path of an interpreter of that version, or nothing
    local version=$1 candidate
    for candidate in "$HOME"/.pyenv/versions/"$version".*/bin/python "$(command -v "python$version" || true)"; do
        if [ -x "$candidate" ] && "$candidate" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$version'.split('.'))))" 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

if ! python=$(find_python "$version"); then
    echo "versions: skipped CPython $version (no interpreter found)"
    exit 0
fi
venv=".venv-$version"
if [ ! -x "$venv/bin/python" ] || [ pyproject.toml -nt "$venv/.deps-stamp" ]; then
    "$python" -m venv --without-pip "$venv"
    .venv/bin/python -m pip --python "$venv/bin/python" install -q --group test
    touch "$venv/.deps-stamp"
fi
if $venv_only; then
    exit 0
fi
echo "versions: CPython $version ($python)"
PYTHONPATH=python "$venv/bin/python" -m pytest -q -p no:cacheprovider "${suites[@]}"
