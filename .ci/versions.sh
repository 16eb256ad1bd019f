#!/usr/bin/env bash
# Run the model and SQL suites on every CPython ferrule claims (3.10-3.13) that this machine has,
# each against the same abi3 extension the main build put in python/ferrule/. The main venv's
# interpreter (and the database suites) are covered by `make test-python`; this adds the others.
# Each interpreter gets a small venv (.venv-3.X) with the `test` dependency group only.
set -euo pipefail
cd "$(dirname "$0")/.."

main_version=$(.venv/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
suites=(tests/models tests/sql tests/test_exported_members.py tests/test_panic_boundary.py
        tests/test_examples.py)
skipped=()
ran=()

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

for version in 3.10 3.11 3.12 3.13; do
    if [ "$version" = "$main_version" ]; then
        continue
    fi
    if ! python=$(find_python "$version"); then
        skipped+=("$version (no interpreter found)")
        continue
    fi
    venv=".venv-$version"
    if [ ! -x "$venv/bin/python" ] || [ pyproject.toml -nt "$venv/.deps-stamp" ]; then
        "$python" -m venv "$venv"
        "$venv/bin/python" -m pip install -q --upgrade "pip>=25.1"
        "$venv/bin/python" -m pip install -q --group test
        touch "$venv/.deps-stamp"
    fi
    echo "versions: CPython $version ($python)"
    PYTHONPATH=python "$venv/bin/python" -m pytest -q -p no:cacheprovider "${suites[@]}"
    ran+=("$version")
done

echo "versions: ran the model and SQL suites on CPython ${ran[*]:-none} (plus $main_version in the main run)"
if [ ${#skipped[@]} -gt 0 ]; then
    echo "versions: skipped ${skipped[*]}"
fi
