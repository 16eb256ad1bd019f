"""``FERRULE_PURE_PYTHON`` has one meaning in every layer (models, errors, SQL): "1" selects the
pure-Python twins, "0" or unset the native core, anything else stops the import with a clear
error. Each case runs in its own interpreter, since the choice is made once, at import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

PROBE = """
import json, sys
import ferrule
from ferrule.errors import ValidationError
from ferrule.models import _core
from ferrule.sql import compiler
from ferrule.backends import base
errors = type(ValidationError.__dict__["errors"]).__name__
print(json.dumps({
    "models": "pure" if _core.PURE_PYTHON else "native",
    "validator": _core.SchemaValidator.__module__,
    "sql": "pure" if compiler.compile_node is compiler.compile_pure else "native",
    "errors": "pure" if errors == "function" else "native",
    "records": "pure" if base.to_records is base._records_pure else "native",
    "annotated_types_imported": "annotated_types" in sys.modules,
}))
"""

NATIVE = {
    "models": "native",
    "validator": "ferrule._ferrule",
    "sql": "native",
    "errors": "native",
    "records": "native",
    "annotated_types_imported": False,
}
PURE = {
    "models": "pure",
    "validator": "ferrule.models._pure.validator",
    "sql": "pure",
    "errors": "pure",
    "records": "pure",
    "annotated_types_imported": False,
}


def run_probe(value: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "FERRULE_PURE_PYTHON"}
    if value is not None:
        env["FERRULE_PURE_PYTHON"] = value
    root = Path(__file__).resolve().parent.parent
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root / "python"), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, NATIVE), ("", NATIVE), ("0", NATIVE), ("1", PURE)],
    ids=["unset", "empty", "0", "1"],
)
def test_every_layer_reads_the_same_choice(value: str | None, expected: dict[str, Any]) -> None:
    done = run_probe(value)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == expected


@pytest.mark.parametrize("value", ["true", "yes", "2", " 1", "on", "False"])
def test_other_values_are_refused(value: str) -> None:
    done = run_probe(value)
    assert done.returncode != 0
    assert "ConfigurationError: FERRULE_PURE_PYTHON must be" in done.stderr
    assert repr(value) in done.stderr
