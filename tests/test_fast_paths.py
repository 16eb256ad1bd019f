"""``FERRULE_NO_FAST_PATHS`` turns off every CPython layout fast path (the suite runs once more
with it set, so the stable-API paths are exercised). Each case runs in its own interpreter: the
switch is read once, when the extension loads."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import sys
from ferrule import _ferrule, Model
class Point(Model):
    x: int
known = (3, 10) <= sys.version_info[:2] <= (3, 13)
print(_ferrule.FAST_PATHS, _ferrule.install_fast_call(Point), known, Point(x="1").x)
"""


def _run(value: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "FERRULE_NO_FAST_PATHS"}
    env["PYTHONPATH"] = str(ROOT / "python")
    if value is not None:
        env["FERRULE_NO_FAST_PATHS"] = value
    return subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=False
    )


@pytest.mark.parametrize("value", [None, "", "0"])
def test_fast_paths_on_where_the_layout_is_known(value: str | None) -> None:
    done = _run(value)
    assert done.returncode == 0, done.stderr
    fast, installed, known, x = done.stdout.split()
    assert fast == installed == known  # on where the layout is known, off otherwise
    assert x == "1"


def test_switch_turns_every_fast_path_off() -> None:
    done = _run("1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "False",
        "False",
        str((3, 10) <= sys.version_info[:2] <= (3, 13)),
        "1",
    ]


@pytest.mark.parametrize("value", ["yes", "true", " 1", "2"])
def test_other_values_stop_the_import(value: str) -> None:
    done = _run(value)
    assert done.returncode != 0
    assert "ConfigurationError" in done.stderr
    assert "FERRULE_NO_FAST_PATHS must be 1" in done.stderr
