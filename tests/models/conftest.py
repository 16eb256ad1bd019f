"""Every test that takes a ``core`` argument runs on the validation core this process selected:
the native core, or its pure-Python twin under ``FERRULE_PURE_PYTHON=1`` (``make test`` runs the
suite both ways). Run with ``FERRULE_TEST_CORES=pure,native`` to check both cores in one run.

One core a run, not both: each table checks one core against written-out answers, and a run
that did not select a core only ever repeated what the run that selects it checks. The native
core is compiled: the switch that selects the twin does not change it. The twin is plain
Python: the switch and the interpreters that only the native core reads do not change it
(``FERRULE_NO_FAST_PATHS``, the CPython layouts of other versions). test_core_properties still
compares the two cores with each other in every run."""

from __future__ import annotations

import os

import pytest
from cores import CORES, core_id

from ferrule.errors import pure_python_requested


def _selected() -> list[object]:
    raw = os.environ.get("FERRULE_TEST_CORES", "")
    names = [name.strip() for name in raw.split(",") if name.strip()]
    if not names:
        names = ["pure" if pure_python_requested() else "native"]
    unknown = sorted(set(names) - {core_id(core) for core in CORES})
    if unknown:
        raise pytest.UsageError(f"FERRULE_TEST_CORES: unknown core(s) {unknown}")
    return [core for core in CORES if core_id(core) in names]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "core" in metafunc.fixturenames:
        cores = _selected()
        metafunc.parametrize("core", cores, ids=[core_id(core) for core in cores])
