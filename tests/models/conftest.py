"""Every test that takes a ``core`` argument runs once per validation core in `cores.CORES`."""

from __future__ import annotations

import pytest
from cores import CORES, core_id


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "core" in metafunc.fixturenames:
        metafunc.parametrize("core", CORES, ids=[core_id(core) for core in CORES])
