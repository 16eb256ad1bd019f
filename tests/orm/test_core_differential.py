"""The native core and the pure-Python twin (``FERRULE_PURE_PYTHON=1``) read the same rows
the same: rows of every field type, edge values included (64-bit ends, 1e308, 5e-324,
fifteen-digit decimals, years 1 and 9999 with microseconds, empty text and bytes, non-BMP
characters, NULLs), written by one core and read by the other, through each load path
(instances, ``values()``, ``values_list()``, ``get()``), on every database. Each core runs
``core_differential_script.py`` in a subprocess; the ``repr`` and type of every value read
must be the same whichever core wrote and whichever read."""

from __future__ import annotations

import ast
import datetime
import decimal
import os
import subprocess
import sys
import uuid
from pathlib import Path

from .core_differential_script import ROWS, Color, Diff

_HERE = Path(__file__).resolve().parent
_SCRIPT = _HERE / "core_differential_script.py"
_PATH = os.pathsep.join([str(_HERE.parent.parent / "python"), str(_HERE.parent)])


def _run(action: str, url: str, pure: bool) -> str:
    env = {**os.environ, "PYTHONPATH": _PATH}
    env.pop("FERRULE_PURE_PYTHON", None)
    if pure:
        env["FERRULE_PURE_PYTHON"] = "1"
    done = subprocess.run(
        [sys.executable, str(_SCRIPT), action, url],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


_NAMES = {"datetime": datetime, "Decimal": decimal.Decimal, "UUID": uuid.UUID, "Color": Color}


def _mismatches(printed: str) -> list[str]:
    """Each value read that is not what was written (by ``==``: an instant in any offset, a
    decimal at the column's scale, a float's zero unsigned by design) or not of its type."""
    names = list(Diff._meta.columns)
    lines = printed.splitlines()
    out = [] if len(lines) == 4 * len(ROWS) else [f"{len(lines)} lines"]
    for line in lines:
        path, key, rest = line.split(" ", 2)
        row = ROWS[int(key) - 1]
        for name, shown in zip(names, ast.literal_eval(rest), strict=True):
            kind, text = shown.split(":", 1)
            if kind == "Color":  # an Enum's repr is not Python: compared as text
                value = row[name] if text == repr(row[name]) else text
            else:
                value = eval(text, _NAMES)
            if value != row[name] or kind != type(row[name]).__name__:
                out.append(f"{path} {key} {name}: {shown} for {row[name]!r}")
    return out


def test_each_core_reads_what_either_wrote(url: str) -> None:
    try:
        for writer in (False, True):
            _run("write", url, writer)
            reads = {reader: _run("read", url, reader) for reader in (False, True)}
            wrote = "pure" if writer else "native"
            assert reads[False] == reads[True], f"written by the {wrote} core"
            assert _mismatches(reads[False]) == [], f"written by the {wrote} core"
    finally:
        _run("drop", url, False)
